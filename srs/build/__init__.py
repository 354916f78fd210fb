"""Building: one lesson (notebook to deck), several lessons in order, and `srs check`."""
