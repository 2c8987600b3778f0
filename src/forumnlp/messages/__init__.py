"""Key messages: what keeps coming up, where, and in practitioners' own words."""

from forumnlp.messages.core import key_messages
from forumnlp.messages.result import KeyMessages

__all__ = ["KeyMessages", "key_messages"]
