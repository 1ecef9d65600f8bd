"""Shared kernel (lõi dùng chung): text folding, problem responses, security headers."""
