"""Inboxes: a workspace's connected channel accounts (a number, a mailbox, a Kakao channel, …)."""
