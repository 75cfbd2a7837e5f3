"""The demo workspace (한빛리빙): the generated history, each domain's demo content and the demo store page."""
