"""Import and export of articles: markdown folders, FAQ CSV, Zendesk, front matter."""
