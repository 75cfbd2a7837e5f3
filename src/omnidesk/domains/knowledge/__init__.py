"""Knowledge base: articles, versions, the help center and the search shared by bot and agents."""
