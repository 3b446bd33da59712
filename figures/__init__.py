"""Pure figure builders: a DataFrame and options in, a plotly Figure out. No I/O, no globals."""
