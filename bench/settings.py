"""cchc's settings for `make bench`'s HTTP figures: production settings, with the tracking page's per-address
limits lifted, since every load-generator client shares the address 127.0.0.1 (cchc.portal.rules)."""

from cchc.settings import *  # noqa: F403

CCHC_TRACKING_ADDRESS_LOOKUPS = 10**9
CCHC_TRACKING_ADDRESS_FAILURES = 10**9
