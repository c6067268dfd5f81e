"""Ids as requests name them, in paths, query strings and bodies."""

# Database ids are 64-bit: a larger number is an id that does not exist. Checked before the
# query, it names nothing instead of overflowing the database's integer (or an `IN (…)`).
MAX_ID = 2**63 - 1
