"""wirecoder: offline news-to-event-data coder."""

__version__ = "0.1.0"
