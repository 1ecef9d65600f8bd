"""One-stop dossiers (hồ sơ một cửa): the lifecycle, deadlines, codes and the history chain."""
