"""Every key of the app in one table: the bindings, the Footer, the help screen and the palette.

The Footer shows only the keys of the current context (``Context``), so it fits
80 columns in every state; every key works in every context where it makes
sense, and help and the command palette list them all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from textual.binding import Binding

from tui import core_words
from tui.i18n import N_, _
from tui.model.driver import RunState

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

Context = Literal["running", "paused", "stepping", "done", "oscillating", "diverged", "hands"]
"""What the Footer is showing keys for: training, paused, paused with the explanation
open (stepping through phases), done (at the target), oscillating (at the target, going
round the optimum for ever: the way out is a lower rate), diverged, or hands mode (the
learner moves the parameters: ``h``)."""

EVERYWHERE: frozenset[Context] = frozenset(
    ("running", "paused", "stepping", "done", "oscillating", "diverged", "hands")
)

HANDS_ACTIONS = frozenset(
    (
        "weight_up",
        "weight_down",
        "bias_up",
        "bias_down",
        "coarser_step",
        "finer_step",
        "leave_hands",
    )
)
"""The keys of hands mode: priority bindings (a scrolled pane must not take the arrows or
escape), active only in that mode and only on the trainer's screen."""


def _in(*contexts: Context) -> frozenset[Context]:
    return frozenset(contexts)


@dataclass(frozen=True)
class Key:
    """One command: its keys, its action, and how it is described."""

    keys: str
    """Textual key names, comma-separated."""
    action: str
    """The app action it runs."""
    label: str
    """Short label for the Footer and the command palette (a message id: pass it to ``_()``)."""
    help: str
    """One sentence for the help screen and the palette (a message id)."""
    display: str
    """How the key is written on the help screen."""
    footer: frozenset[Context] = frozenset()
    """The contexts in which the Footer shows it (help and the palette always do)."""
    group: str | None = None
    """Keys of one group share one Footer label (a message id), e.g. ``[ ] sample``."""
    priority: bool = False
    """Checked before the focused widget's own keys (a scrolled pane must not take them)."""
    lesson: bool = False
    """Offered only in lesson mode, where the Footer shows it."""
    label_on: str | None = None
    """The Footer's label while what the key toggles is on (a message id), e.g. w's
    ``Unfold`` while the lesson is folded; None: ``label`` always."""
    footer_from: int = 0
    """The Footer shows it only on a terminal at least this many columns wide (at 80 its
    contexts' keys fill the row; help and the palette list it at every width)."""


KEYS: tuple[Key, ...] = (
    # space does one of three things; exactly one of them is offered at a time.
    Key(
        "space",
        "pause",
        N_("Pause"),
        N_("Pause training (stepping keys still work)."),
        "space",
        _in("running"),
    ),
    Key(
        "space",
        "resume",
        N_("Run"),
        N_("Run training from here (in hands mode: from where your hand put the neuron)."),
        "space",
        # Not once diverged: running cannot help there, and the Footer offers what does.
        _in("paused", "stepping", "hands"),
    ),
    Key(
        "space",
        "continue_run",
        N_("Continue"),
        N_("The target is reached: continue training past it."),
        "space",
        _in("done", "oscillating", "hands"),
    ),
    Key(
        "s",
        "step_phase",
        N_("Step"),
        N_("One phase: forward, backward or update (pauses)."),
        "s",
        _in("paused", "stepping"),
    ),
    Key(
        "n",
        "step_iteration",
        N_("Iter"),
        N_("Finish the current iteration, or one whole (pauses)."),
        "n",
        _in("paused", "stepping"),
    ),
    Key(
        "f",
        "fast_forward",
        N_("Fast"),
        N_(
            "Fast-forward to the target. Past it, with a closed form ({closed_form}), jump "
            "straight to the iteration from which |w − w*| < 0.001 and |b − b*| < 0.01 for "
            "good (if that lies ahead); otherwise on by another 10× the iterations done."
        ),
        "f",
        _in("running", "paused", "done"),
    ),
    Key(
        "b",
        "step_back",
        N_("Back"),
        N_(
            "Back one iteration (one phase while stepping with the explanation open), "
            "exactly as training showed it; settings changed since are restored."
        ),
        "b",
        _in("paused", "stepping", "diverged"),
    ),
    Key(
        "g",
        "go_to",
        N_("Go to"),
        N_(
            "Go to any iteration, back or forward (type it); the screen is the one training "
            "to it shows, with the settings in force there."
        ),
        "g",
        _in("done", "oscillating", "diverged"),
    ),
    Key(
        "plus,equals_sign",
        "double_rate",
        N_("lr×2"),
        N_("Double the learning rate (also =)."),
        "+",
        _in("running", "paused", "done"),
        N_("lr ×2 ÷2"),
    ),
    Key(
        "minus",
        "halve_rate",
        N_("lr÷2"),
        N_("Halve the learning rate."),
        "-",
        _in("running", "paused", "done", "oscillating", "diverged"),
        N_("lr ×2 ÷2"),
    ),
    Key(
        "l",
        "ask_rate",
        N_("Set lr"),
        N_("Type an exact learning rate."),
        "l",
        _in("oscillating", "diverged"),
    ),
    Key(
        "a",
        "use_fastest_rate",
        N_("Best lr"),
        N_(
            "The learning rate that suits the bowl: 2/(λ_min + λ_max), at which gradient "
            "descent converges fastest (0.5 on standardised inputs, where one step lands on "
            "the optimum; z says when it differs)."
        ),
        "a",
    ),
    Key(
        "r",
        "reset",
        N_("Reset"),
        N_("Untrained neuron again, iteration 0 (same rate)."),
        "r",
        # b and g take its place in the Footer elsewhere; help and the palette keep it.
        _in("diverged"),
    ),
    Key(
        "x",
        "export",
        N_("Export"),
        N_("Save the run so far as CSV (or to --export)."),
        "x",
        _in("done", "oscillating"),
    ),
    Key(
        "greater_than_sign",
        "faster",
        N_("Faster"),
        N_("Double the training pace (up to 64×)."),
        ">",
        _in("running"),
    ),
    Key(
        "less_than_sign",
        "slower",
        N_("Slower"),
        N_("Halve the training pace (down to 1/64×)."),
        "<",
        _in("running"),
    ),
    Key(
        "e",
        "toggle_explain",
        N_("Explain"),
        N_("Show or hide the mathematics of each phase, with live numbers."),
        "e",
        _in("stepping"),
    ),
    Key(
        "p",
        "toggle_code",
        N_("Code"),
        N_(
            "Show or hide the program: forward, backward and update in Python, the lines of "
            "the last phase highlighted, with their values."
        ),
        "p",
        _in("paused", "stepping"),
        footer_from=100,
    ),
    Key(
        "left_square_bracket",
        "previous_sample",
        N_("Colder"),
        N_("Explain the previous (colder) sample."),
        "[",
        _in("stepping"),
        N_("sample"),
    ),
    Key(
        "right_square_bracket",
        "next_sample",
        N_("Warmer"),
        N_("Explain the next (warmer) sample."),
        "]",
        _in("stepping"),
        N_("sample"),
    ),
    Key(
        "h",
        "toggle_hands",
        N_("Hands"),
        N_(
            "Hands on the weights: training pauses, the arrow keys move the weight and the "
            "bias, and the loss and the gradients answer; space trains on from there."
        ),
        "h",
        _in("paused", "stepping"),
        # At 80 columns the lesson's Footer has w (fold) instead: the hands chapter starts
        # in the mode, and help and the palette list h.
        footer_from=100,
    ),
    Key(
        "right",
        "weight_up",
        N_("Weight +"),
        N_("Hands mode: the weight up to the next step."),
        "→",
        _in("hands"),
        N_("weight"),
        priority=True,
    ),
    Key(
        "left",
        "weight_down",
        N_("Weight −"),
        N_("Hands mode: the weight down to the next step."),
        "←",
        _in("hands"),
        N_("weight"),
        priority=True,
    ),
    Key(
        "up",
        "bias_up",
        N_("Bias +"),
        N_("Hands mode: the bias up to the next step."),
        "↑",
        _in("hands"),
        N_("bias"),
        priority=True,
    ),
    Key(
        "down",
        "bias_down",
        N_("Bias −"),
        N_("Hands mode: the bias down to the next step."),
        "↓",
        _in("hands"),
        N_("bias"),
        priority=True,
    ),
    Key(
        "left_curly_bracket",
        "coarser_step",
        N_("Coarser"),
        N_("Hands mode: steps 10× larger."),
        "{",
        _in("hands"),
        N_("step"),
        priority=True,
    ),
    Key(
        "right_curly_bracket",
        "finer_step",
        N_("Finer"),
        N_("Hands mode: steps 10× smaller."),
        "}",
        _in("hands"),
        N_("step"),
        priority=True,
    ),
    Key(
        "escape",
        "leave_hands",
        N_("Leave"),
        N_("Hands mode: leave it (the parameters stay where you put them)."),
        "esc",
        _in("hands"),
        priority=True,
    ),
    Key(
        "z",
        "toggle_standardize",
        N_("Scale"),
        N_("Train on standardised celsius (a round bowl), or on the raw values."),
        "z",
    ),
    Key(
        "o",
        "next_optimizer",
        N_("Optimizer"),
        # The optimizers' own titles follow this sentence on the help screen.
        N_("Next update rule:"),
        "o",
    ),
    Key(
        "v",
        "toggle_landscape",
        N_("Landscape"),
        N_("Switch the chart between the fit and the loss landscape."),
        "v",
    ),
    Key(
        "number_sign",
        "ask_sample",
        N_("Sample"),
        N_("Type the temperature of the sample to explain (the nearest one is taken)."),
        "#",
    ),
    Key(
        "c",
        "next_race",
        N_("Race"),
        N_(
            "Race a second trainer from the same start (--compare's, else each other "
            "optimizer, then the other gradient rule, in turn; then none)."
        ),
        "c",
    ),
    Key(
        "t",
        "toggle_log_iterations",
        N_("Log iter"),
        N_("Put the loss chart's iterations on a logarithmic axis, or back."),
        "t",
    ),
    Key(
        "pageup,comma",
        "previous_chapter",
        N_("Back"),
        N_("Lesson mode: the previous chapter (also ,)."),
        "pgup",
        EVERYWHERE,
        N_("chapter"),
        priority=True,
        lesson=True,
    ),
    Key(
        "pagedown,full_stop",
        "next_chapter",
        N_("Next"),
        N_("Lesson mode: the next chapter (also .)."),
        "pgdn",
        EVERYWHERE,
        N_("chapter"),
        priority=True,
        lesson=True,
    ),
    Key(
        "w",
        "fold_lesson",
        N_("Fold"),
        N_(
            "Lesson mode: fold the lesson to one line (the step to do), giving the chart its "
            "rows, or unfold it."
        ),
        "w",
        # Not when diverged: the Footer needs that room for - and r, the way out.
        _in("running", "paused", "stepping", "done", "oscillating"),
        lesson=True,
        label_on=N_("Unfold"),
    ),
    Key(
        "question_mark",
        "help",
        N_("Help"),
        N_("Every key, and how to read the screen."),
        "?",
        EVERYWHERE,
    ),
    # q and ctrl+c quit from every screen: the app runs quit for them before Textual
    # sees the key (TrainerApp.on_event), so no dialog field, help or palette search takes
    # them (a priority binding would not do: Textual drops it for a key a field types).
    Key("q,ctrl+c", "quit", N_("Quit"), N_("Quit c2f-tui."), "q", EVERYWHERE),
)


TEXTUAL_WORDS = (
    N_("palette"),
    N_("Search for commands…"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
"""Textual's own words on our screens: the Footer's palette key (``for_footer`` translates
it with ours), the palette's prompt and its built-in commands (``TrainerApp.
get_system_commands``). Marked here so that the catalog has them."""


IME_ALIASES = {
    "question_mark": "fullwidth_question_mark",  # ？
    "left_square_bracket": "left_black_lenticular_bracket",  # 【
    "right_square_bracket": "right_black_lenticular_bracket",  # 】
    "less_than_sign": "left_double_angle_bracket",  # 《
    "greater_than_sign": "right_double_angle_bracket",  # 》
    "comma": "fullwidth_comma",  # ，
    "full_stop": "ideographic_full_stop",  # 。
}
"""What a Chinese input method sends for a key (Textual's key names): the same command,
so a learner typing Chinese need not switch the input method off to press ? or [."""


def aliases(keys: str) -> str:
    """The IME aliases of a comma-separated list of keys (empty if none)."""
    return ",".join(IME_ALIASES[key] for key in keys.split(",") if key in IME_ALIASES)


def bindings() -> list[Binding]:
    """Textual bindings for ``KEYS``, each key's IME aliases hidden from the Footer (which
    shows the key itself); which keys the Footer shows is decided per context."""
    result = []
    for key in KEYS:
        group = Binding.Group(key.group) if key.group else None
        result.append(
            Binding(
                key.keys,
                key.action,
                key.label,
                show=bool(key.footer),
                key_display=key.display,
                group=group,
                priority=key.priority,
            )
        )
        if aliases(key.keys):
            result.append(
                Binding(aliases(key.keys), key.action, key.label, show=False, priority=key.priority)
            )
    return result


def context(state: RunState, *, at_target: bool, explaining: bool, hands: bool = False) -> Context:
    """Which keys the Footer offers: those of hands mode, of training, of a pause, of
    stepping with the explanation open, of a reached target (done or oscillating), or of a
    diverged run."""
    if hands:
        return "hands"
    if state is RunState.RUNNING:
        return "running"
    if state is RunState.DIVERGED:
        return "diverged"
    if state is RunState.OSCILLATING:
        return "oscillating"
    if state is RunState.DONE or at_target:
        return "done"
    return "stepping" if explaining else "paused"


LESSON_HIDES = frozenset(
    (
        "toggle_explain",
        "previous_sample",
        "next_sample",
        "faster",
        "slower",
        "export",
        "double_rate",
        "halve_rate",
        "step_iteration",
        "fast_forward",
        "go_to",
    )
)
"""In lesson mode the Footer makes room for the chapter keys: the lesson names these when a
chapter needs them (help and the palette list them all)."""


FOOTER_IN_LESSONS_ONLY = frozenset(("toggle_hands",))
"""Keys the Footer has room for only in lesson mode (where ``LESSON_HIDES`` makes room);
elsewhere help and the palette list them."""


def footer_actions(context: Context, *, lesson: bool = False, width: int = 80) -> frozenset[str]:
    """The actions the Footer shows in ``context`` (in lesson mode, or not), on a terminal
    ``width`` columns wide. In hands mode in a lesson, the step keys ``{`` ``}`` and escape
    make room for the chapter keys (the status line shows the step, space leaves the mode as
    the chapter asks; help and the palette list them all)."""
    if context == "hands":
        making_room = {"coarser_step", "finer_step", "leave_hands"} if lesson else set()
        return frozenset(
            key.action
            for key in KEYS
            if context in key.footer
            and (lesson or not key.lesson)
            and width >= key.footer_from
            and key.action not in making_room
        )
    if lesson:
        # Diverged, the way out is - (then r): the Footer shows it even in a lesson, in
        # the place of l (typing a rate), so that the row still fits 80 columns.
        hidden = (
            LESSON_HIDES - {"halve_rate"} | {"ask_rate"} if context == "diverged" else LESSON_HIDES
        )
        return frozenset(
            key.action
            for key in KEYS
            if context in key.footer and key.action not in hidden and width >= key.footer_from
        )
    return frozenset(
        key.action
        for key in KEYS
        if context in key.footer
        and not key.lesson
        and width >= key.footer_from
        and key.action not in FOOTER_IN_LESSONS_ONLY
    )


def availability(action: str, state: RunState, *, at_target: bool) -> bool | None:
    """Whether ``action`` is on offer: True, False (hidden, key inactive) or None (shown
    greyed out). Space means one thing at a time: Pause, Run, or Continue past the target.
    Diverged, the Footer leaves Run out (it offers -, l and r, which help) but space still
    answers, with a notice of what to do instead."""
    settled_at_target = state is not RunState.RUNNING and at_target
    if action == "pause":
        return state is RunState.RUNNING
    if action == "resume":
        if state is RunState.DIVERGED:
            return True  # the controller says what to do instead
        return state is RunState.PAUSED and not settled_at_target
    if action == "continue_run":
        return state is not RunState.DIVERGED and settled_at_target
    return True


LABELS_ON = {key.action: key.label_on for key in KEYS if key.label_on is not None}
"""The actions whose Footer label follows a state, and their label while it is on."""


def for_footer(
    active: dict[str, ActiveBinding], shown: frozenset[str], on: frozenset[str] = frozenset()
) -> dict[str, ActiveBinding]:
    """Textual's active bindings, showing only the ``shown`` actions, in the current language;
    the actions in ``on`` (what they toggle is on) labelled with their ``label_on``."""
    result = {}
    for name, entry in active.items():
        binding, group = entry.binding, entry.binding.group
        label = LABELS_ON.get(binding.action) if binding.action in on else None
        result[name] = entry._replace(
            binding=replace(
                binding,
                description=_(label or binding.description),
                show=binding.show and binding.action in shown,
                group=replace(group, description=_(group.description)) if group else None,
            )
        )
    return result


def describe(key: Key) -> str:
    """The key's sentence for help and the palette, in the current language.

    The optimizer key lists the optimizers by their own titles, in the order ``o``
    cycles through them, and ``{closed_form}`` names those with a closed form, so a new
    one in ``core.OPTIMIZERS`` appears here unasked.
    """
    text = _(key.help).format_map(core_words.fields())
    if key.action == "next_optimizer":
        text += " " + " → ".join(core_words.titles()) + "."
    return text
