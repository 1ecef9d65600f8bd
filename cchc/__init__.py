"""cchc: an open platform for administrative reform (cải cách hành chính) in a Vietnamese province."""
