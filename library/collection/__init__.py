"""The printed collection as librarians run it: items (one per copy), labels, in-house use, stock-taking."""
