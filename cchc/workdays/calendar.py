def invalidate_default_calendar() -> None:
    pass
