"""Finding card sources in cells: option lines and comments, Q/A pairs, clozes."""
