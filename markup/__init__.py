"""Markdown and sanitising for articles and comments: pure functions, no models, no app imports.

A leaf: `articles` and `comments` import it; it imports none of the project's apps (an
import-linter contract in `make lint` keeps it so).
"""
