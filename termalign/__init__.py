"""termalign: a Khmer–Thai–Vietnamese–English termbase of e-government terms.

The data flow is visible in the subpackages: ``ingest`` → ``extract`` → ``align`` →
``translate``, all reading and writing the termbase ``store``, and ``export`` for TBX/CSV.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "Translator"]


def __getattr__(name: str):
    # The MT engine imports ctranslate2; keep ``import termalign`` light.
    if name == "Translator":
        from termalign.translate import Translator

        return Translator
    raise AttributeError(name)
