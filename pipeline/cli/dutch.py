"""Click's own texts in Dutch: 'Gebruik:', 'Opties', 'Toon deze hulp en stop.', 'Fout: ...'.

Click (8.4) marks every text it writes with gettext (`from gettext import gettext as _` in
its modules). Plain gettext would pick a catalogue from the LANGUAGE environment variable;
focuslex instead points those `_`/`ngettext` names at the Dutch catalogue below, once, when
the `focuslex` group runs (`DutchGroup.main`). What Click does not mark stays as Click
writes it unless set here: the metavars of options and arguments (TEXT, INTEGER, PATH) are
given Dutch names by `dutch_metavars`; a text Click adds in a newer version and that is not
in the catalogue stays English (tests/test_cli_errors.py checks the usual ones).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

from pipeline.cli.lazy import LazyGroup
from pipeline.core.errors import FocuslexError

log = logging.getLogger("focuslex.cli")

CLICK_NL: dict[str, str] = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Commando's",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Probeer '{command} {option}' voor hulp.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing command.": "Geef een commando op.",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "Missing {param_type}": "Ontbrekend(e) {param_type}",
    "argument": "argument", "option": "optie", "parameter": "parameter",
    "No such command {name!r}.": "Het commando {name!r} bestaat niet.",
    "No such option {name!r}.": "De optie {name!r} bestaat niet.",
    "No such option: {name}": "De optie {name} bestaat niet.",
    "Did you mean {possibility}?": "Bedoelde je {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelde je een van deze: {possibilities}?)",
    "Option {name!r} requires an argument.": "De optie {name!r} heeft een waarde nodig.",
    "Option {name!r} requires {nargs} arguments.":
        "De optie {name!r} heeft {nargs} waarden nodig.",
    "Option {name!r} does not take a value.": "De optie {name!r} neemt geen waarde.",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig getal.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen geldige ja/nee-waarde. Mogelijk: {states}",
    "{value!r} is not one of {choices}.": "{value!r} is geen van {choices}.",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "Could not open file {filename!r}: {message}":
        "Het bestand {filename!r} kon niet geopend worden: {message}",
    "file": "bestand", "directory": "map", "path": "pad",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Aborted!": "Afgebroken.",
    "Do you want to continue?": "Wil je verdergaan?",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee waarden verschillen.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Press any key to continue...": "Druk op een toets om verder te gaan...",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "env var: {var}": "omgevingsvariabele: {var}",
    "unknown error": "onbekende fout",
    "Takes {nargs} values but 1 was given.": "Neemt {nargs} waarden, maar er werd 1 gegeven.",
    "Takes {nargs} values but {len} were given.":
        "Neemt {nargs} waarden, maar er werden er {len} gegeven.",
}
# Metavars Click derives from parameter types (shown in help and usage lines).
METAVARS_NL = {"TEXT": "TEKST", "INTEGER": "GETAL", "FLOAT": "GETAL", "PATH": "PAD",
               "FILENAME": "BESTAND", "DIRECTORY": "MAP", "BOOLEAN": "JA|NEE"}
_MODULES: tuple[ModuleType, ...] = (click.core, click.decorators, click.exceptions,
                                    click.formatting, click.parser, click.termui, click.types,
                                    click.utils)


def dutch(message: str) -> str:
    """Click's gettext: the Dutch text of a Click message, or the message itself."""
    return CLICK_NL.get(message, message)


def dutch_plural(singular: str, plural: str, count: int) -> str:
    """Click's ngettext, in Dutch."""
    return dutch(singular if count == 1 else plural)


def install_dutch_click() -> None:
    """Point Click's gettext names at the Dutch catalogue (idempotent)."""
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = dutch  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = dutch_plural  # type: ignore[attr-defined]


def walk_commands(command: click.Command) -> Iterator[click.Command]:
    """The command and every command below it that is imported (lazy subcommands not yet
    imported are left out: `DutchGroup.loaded` gives them their metavars)."""
    yield command
    if isinstance(command, click.Group):
        for child in command.commands.values():
            yield from walk_commands(child)


def dutch_metavars(root: click.Command) -> None:
    """Dutch metavars and option placeholders for every command under `root`."""
    for command in walk_commands(root):
        command.options_metavar = "[OPTIES]"
        if isinstance(command, click.Group):
            command.subcommand_metavar = "COMMANDO [ARGUMENTEN]..."
        for param in command.params:
            if param.metavar is None and isinstance(param, click.Option) and not param.is_flag:
                name = param.type.name.upper()
                if name in METAVARS_NL:
                    param.metavar = METAVARS_NL[name]


class DutchGroup(LazyGroup):
    """The `focuslex` group: Click's texts in Dutch before anything is parsed, and every
    way out a coded message: a usage error FX-APP-001 (exit 2), a file Click cannot open
    FX-APP-002 (exit 2), anything unexpected FX-APP-003 (exit 1, the traceback only in the
    log with -v). Its lazy subcommands get their Dutch metavars when they are imported."""

    def loaded(self, command: click.Command) -> click.Command:
        dutch_metavars(command)
        return command

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        install_dutch_click()
        dutch_metavars(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else (prog_name or "focuslex")
            if error.ctx is not None:
                click.echo(error.ctx.get_usage(), err=True)
            _exit(FocuslexError("FX-APP-001", detail=error.format_message(),
                                command=command), 2)
        except click.FileError as error:
            _exit(FocuslexError("FX-APP-002", file=error.ui_filename,
                                detail=error.message or "onbekende fout"), 2)
        except click.ClickException as error:
            _exit(FocuslexError("FX-APP-001", detail=error.format_message(),
                                command=prog_name or "focuslex"), 2)
        except click.Abort:
            click.echo(dutch("Aborted!"), err=True)
            sys.exit(1)
        except FocuslexError as error:  # raised past a command's own handling
            _exit(error, 2)
        except Exception as error:  # a bug: say so in Dutch, keep the traceback in the log
            log.info("unexpected error", exc_info=True)
            _exit(FocuslexError("FX-APP-003", detail=type(error).__name__), 1)
        sys.exit(result if isinstance(result, int) else 0)


def _exit(error: FocuslexError, code: int) -> None:
    click.echo(error.message, err=True)
    sys.exit(code)
