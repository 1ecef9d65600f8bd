"""The working-day calendar (lịch làm việc)."""
