//! JSONata for awskb: parsing with positioned errors. Pure: no I/O, clock or global randomness.
