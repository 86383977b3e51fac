"""whosaid: news articles in, a who-accused-whom warehouse out."""

__version__ = "0.1.0"
