"""The wheel's build hook: every message catalog compiled, ``.po`` into ``.mo``.

Compiled catalogs are never committed (``*.mo`` is ignored), so a wheel's can never be
older than the ``.po`` it was built from. An editable install gets none from here:
``sphinx_postblog.i18n`` compiles a checkout's catalogs when the extension is set up.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("sphinx_postblog", "locale")


class CatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile ``sphinx_postblog/locale/*/LC_MESSAGES/*.po`` into the wheel's ``.mo`` files."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile each catalog into a temporary folder and have the wheel include it."""
        if self.target_name != "wheel" or version == "editable":
            return
        self._out = Path(tempfile.mkdtemp(prefix="sphinx-postblog-mo-"))
        for po in sorted(Path(self.root, LOCALE).glob("*/LC_MESSAGES/*.po")):
            relative = po.relative_to(self.root).with_suffix(".mo")
            language = relative.parent.parent.name
            with po.open("rb") as source:
                catalog = read_po(source, locale=language)
            untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
            if untranslated:
                self.app.display_warning(f"{po.relative_to(self.root)}: {len(untranslated)} "
                                         "messages untranslated or fuzzy (shown in English)")
            target = self._out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as compiled:
                write_mo(compiled, catalog)
            build_data["force_include"][str(target)] = relative.as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the compiled catalogs once they are in the wheel."""
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
