"""Units and staff (tổ chức): administrative units, agencies, counters, staff roles."""
