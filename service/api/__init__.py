from flask import current_app


def leitai():
    """The process's Application."""
    return current_app.extensions["leitai"]
