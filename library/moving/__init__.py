"""Moving an instance onto another database and file store (`pustaka move`), nothing lost."""
