"""Survey tests run on the inbox tests' desk: two Twilio numbers and two mailboxes."""

from tests.domains.inboxes.test_inboxes import desk, twilio  # noqa: F401 (fixtures)
