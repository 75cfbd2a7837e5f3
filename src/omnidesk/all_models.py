"""Import every table module so Base.metadata is complete (migrations, tests, create_all)."""

from omnidesk.core import audit, events, scheduler  # noqa: F401
from omnidesk.core.db import Base
from omnidesk.domains.agents import models as agents_models  # noqa: F401
from omnidesk.domains.analytics import models as analytics_models  # noqa: F401
from omnidesk.domains.assist import models as assist_models  # noqa: F401
from omnidesk.domains.automation import models as automation_models  # noqa: F401
from omnidesk.domains.commerce import models as commerce_models  # noqa: F401
from omnidesk.domains.conversations import models as conversations_models  # noqa: F401
from omnidesk.domains.customers import models as customers_models  # noqa: F401
from omnidesk.domains.engagement import models as engagement_models  # noqa: F401
from omnidesk.domains.feedback import models as feedback_models  # noqa: F401
from omnidesk.domains.inboxes import models as inboxes_models  # noqa: F401
from omnidesk.domains.knowledge import models as knowledge_models  # noqa: F401
from omnidesk.domains.nlu import models as nlu_models  # noqa: F401
from omnidesk.domains.privacy import models as privacy_models  # noqa: F401
from omnidesk.domains.routing import models as routing_models  # noqa: F401
from omnidesk.domains.search import models as search_models  # noqa: F401
from omnidesk.domains.workspaces import models as workspaces_models  # noqa: F401

metadata = Base.metadata
