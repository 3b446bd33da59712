def append_recent(*a, **k): raise NotImplementedError
