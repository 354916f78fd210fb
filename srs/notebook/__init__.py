"""Reading a notebook: its cells as typed data, its markdown blocks, clozes, and the files it declares."""
