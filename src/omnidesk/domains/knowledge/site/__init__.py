"""The help center's building blocks: category tree, links, sitemap, markdown rendering."""
