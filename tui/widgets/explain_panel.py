"""The explanation panel: the phase just performed, as the tutorial writes it, with live numbers.

Every number here is read from a ``core`` event or the frame's ``View``; the panel
only arranges them next to the formula they come from. It explains the last event
under the mode that event was computed in: once z, o, l, + or - change the mode, it
says what changed instead, until the next phase is performed under the new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from core import OPTIMIZERS, BackwardEvent, ForwardEvent, GradientDescent, UpdateEvent
from tui.format import count, number, rate, rates_apart
from tui.i18n import _
from tui.model.view import Sample, TrainerView, View
from tui.widgets.panel import ViewPanel, phase_name

DIGITS = (7, 6, 5, 4)
"""Significant figures tried, most first, until every formula line fits the panel's width."""
NEIGHBOURS = 2
"""The forward phase's table shows this many samples on each side of the explained one."""


@dataclass(frozen=True)
class Line:
    """One line of an explanation, and how much it matters when rows are short."""

    text: str
    """Markup; a formula line never wraps (its digits are cut to fit instead)."""
    priority: int = 0
    """0 for the formula and its numbers; higher numbers give way first."""


@dataclass(frozen=True)
class Explanation:
    title: str
    lines: tuple[Line, ...]


class ExplainPanel(ViewPanel, Vertical):
    """Formula, substituted numbers and a sentence for the last phase, for one sample.

    It says how many rows its lines ``need``; the screen gives it those it can (at most
    ``app.tcss``'s max-height), so that the charts have every row it does not use; lines
    that do not fit give way by priority (the formula last).
    """

    DEFAULT_CSS = """
    ExplainPanel {
        display: none;
        height: 8;
    }
    ExplainPanel.-open {
        display: block;
    }
    ExplainPanel > #explain-header {
        height: 1;
        color: $text-muted;
    }
    ExplainPanel > #explain-body {
        height: 1fr;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._shown: tuple[str, str] = ("", "")
        self.need = 8
        """The rows its lines need (header included); the screen gives them if it can."""

    def compose(self) -> ComposeResult:
        yield Static(id="explain-header")
        yield Static(id="explain-body")

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)

    @property
    def title(self) -> str:
        """The header's left part: the phase and its iteration (what a user reads first)."""
        return self._title

    _title = ""

    def part(self, view: View) -> object:
        return "closed" if not view.explaining else None  # hidden: nothing to draw

    def show(self, view: View) -> None:
        """Explain the last phase of ``view``'s trainer, or what changed since."""
        self.set_class(view.explaining, "-open")
        if not view.explaining:
            return
        # ``size`` is the content area; the body has one cell of padding on each side.
        width = max(self.size.width - 2, 40) if self.size.width else 76
        rows = max(self.size.height - 1, 1) if self.size.height else 7
        explanation = explain(view.trainer, view.sample, width, view.display.order)
        self.need = 1 + sum(_rows(line.text, width) for line in explanation.lines)
        self._title = explanation.title
        header = _header(explanation.title, hint(view), width + 2)
        body = "\n".join(line.text for line in fit(explanation.lines, rows, width))
        if (header, body) != self._shown:
            self._shown = (header, body)
            self.query_one("#explain-header", Static).update(header, layout=False)
            self.query_one("#explain-body", Static).update(body, layout=False)

    def render_text(self) -> str:
        """Header and body as plain text (what a user reads)."""
        return "\n".join(str(static.render()) for static in self.query(Static))


def hint(view: View) -> str:
    """The header's right part: the sample explained and the key for the next phase."""
    sample = _("sample {celsius} °C").format(celsius=f"{view.sample.celsius:g}")
    following = _("next: {phase} · s").format(phase=phase_name(view.trainer.next_phase))
    return f"{sample} · [ ] · {following}"


def _header(title: str, right: str, width: int) -> str:
    """``── title ─────── right ──`` across ``width`` cells (the right part dropped if need be)."""
    left = f"── [b $text]{title}[/] "
    right_part = f" {right} ──"
    used = _cells(left) + _cells(right_part)
    if used > width:
        right_part, used = "", _cells(left)
    return left + "─" * max(width - used, 0) + right_part


def fit(lines: tuple[Line, ...], rows: int, width: int) -> list[Line]:
    """The lines that fit in ``rows`` rows of ``width`` cells, in order, dropping the least
    important first (a wrapped line takes the rows it wraps to)."""
    kept = list(lines)
    while sum(_rows(line.text, width) for line in kept) > rows and len(kept) > 1:
        least = max(kept, key=lambda line: line.priority)
        if least.priority == 0:
            break
        # The last of the least important goes first.
        kept.reverse()
        kept.remove(least)
        kept.reverse()
    return kept


def _rows(markup: str, width: int) -> int:
    return max(1, len(Content.from_markup(markup).wrap(width)))


def _cells(markup: str) -> int:
    return Content.from_markup(markup).cell_length


def explain(
    trainer: TrainerView, sample: Sample, width: int, order: tuple[int, ...] = ()
) -> Explanation:
    """The explanation of the trainer's last event for ``sample``, its numbers fitted to
    ``width`` cells; or what changed since, if the mode has. ``order`` lists the samples
    from coldest to warmest (the forward phase tabulates the sample's neighbours)."""
    event = trainer.phases.last
    if event is None:
        return introduction(trainer)
    if trainer.event_mode != trainer.mode:
        return changed(trainer)
    for digits in DIGITS:
        if isinstance(event, ForwardEvent):
            explanation = explain_forward(event, trainer, sample, digits, order)
        elif isinstance(event, BackwardEvent):
            explanation = explain_backward(event, trainer, sample, digits, width)
        else:
            explanation = explain_update(event, trainer, digits)
        formulas = [line.text for line in explanation.lines if line.priority == 0]
        if all(_cells(text) <= width for text in formulas):
            break
    return explanation


def introduction(trainer: TrainerView) -> Explanation:
    """Before the first phase (or after r): what an iteration is, and the keys."""
    text = _(
        "Each iteration runs three phases. Press [b]s[/b] for the first, [b]forward[/b]: "
        "predict every sample with the current weight and bias (output = celsius × weight "
        "+ bias), then measure the loss, the mean squared error. [b]\\[[/b] and [b]][/b] "
        "choose the sample explained; [b]e[/b] hides this panel."
    )
    title = _("before iteration {iteration}").format(iteration=count(trainer.completed + 1))
    return Explanation(title, (Line(text),))


def changed(trainer: TrainerView) -> Explanation:
    """The mode changed since the last phase: say how, rather than explain it wrongly."""
    before, now = trainer.event_mode, trainer.mode
    lines = []
    if before.optimizer != now.optimizer:
        optimizer = OPTIMIZERS.get(now.optimizer)
        summary = f" [dim]{_(optimizer.summary)}[/dim]" if optimizer is not None else ""
        lines.append(
            Line(
                _("Optimizer: {before} → {now}.").format(before=before.optimizer, now=now.optimizer)
                + summary
            )
        )
    if before.standardized != now.standardized:
        inputs = (_("raw celsius"), _("standardised celsius"))
        lines.append(
            Line(
                _("Inputs: {before} → {now}.").format(
                    before=inputs[before.standardized], now=inputs[now.standardized]
                )
            )
        )
    if before.learning_rate != now.learning_rate:
        lines.append(
            Line(
                _("Learning rate: {before} → {now}.").format(
                    before=rate(before.learning_rate), now=rate(now.learning_rate)
                )
            )
        )
    lines.append(
        Line(
            _(
                "The {phase} of iteration {iteration} was computed before this change. "
                "Press [b]s[/b]: the next phase is explained with the new set-up."
            ).format(
                phase=phase_name(_phase_done(trainer)),
                iteration=count(_event_iteration(trainer)),
            ),
            priority=1,
        )
    )
    return Explanation(_("set-up changed"), tuple(lines))


def _phase_done(trainer: TrainerView) -> str:
    event = trainer.phases.last
    return event.phase if event is not None else ""


def _event_iteration(trainer: TrainerView) -> int:
    event = trainer.phases.last
    return event.iteration if event is not None else 0


def _input_name(trainer: TrainerView) -> str:
    return "z" if trainer.mode.standardized else "celsius"


def explain_forward(
    event: ForwardEvent,
    trainer: TrainerView,
    sample: Sample,
    digits: int = 7,
    order: tuple[int, ...] = (),
) -> Explanation:
    """The forward pass for one sample, and the loss over all of them; where there is
    room, the squared errors of the sample and its neighbours (``order``: coldest first)."""
    output = float(event.output[sample.index])
    name = _input_name(trainer)
    samples = len(trainer.dataset)
    if trainer.mode.standardized:
        sign = "−" if trainer.shift >= 0 else "+"
        first = _(
            "Standardised input: z = (celsius {sign} {shift}) / {scale}, same predictions."
        ).format(sign=sign, shift=number(abs(trainer.shift), 4), scale=number(trainer.scale, 4))
    else:
        first = _("Predict every sample, then measure how wrong the predictions are.")
    lines = (
        Line(f"[dim]{first}[/dim]", priority=2),
        Line(f"output = {name} × weight + bias"),
        Line(
            f"       = {number(sample.input, digits)} × {number(event.weight, digits)} + "
            f"{number(event.bias, digits)} = [b]{number(output, digits)}[/b]   "
            "[dim](" + _("truth") + f" {number(sample.fahrenheit, digits)})[/dim]"
        ),
        Line(
            "loss   = Σ (output − fahrenheit)² / N   [dim]"
            + _("over all N = {n} samples").format(n=samples)
            + "[/dim]"
        ),
        Line(f"       = [b]{number(event.loss, digits)}[/b]"),
        *squared_errors(event, trainer, sample, order),
    )
    title = _("forward · iteration {iteration}").format(iteration=count(event.iteration))
    return Explanation(title, lines)


def squared_errors(
    event: ForwardEvent, trainer: TrainerView, sample: Sample, order: tuple[int, ...]
) -> tuple[Line, ...]:
    """Two rows: the sample and its neighbours in celsius, and each one's (output − f)²,
    the terms the loss averages (the explained sample in bold)."""
    if sample.index not in order:
        return ()
    position = order.index(sample.index)
    chosen = order[max(position - NEIGHBOURS, 0) : position + NEIGHBOURS + 1]
    celsius, fahrenheit = trainer.dataset.celsius, trainer.dataset.fahrenheit
    heads, cells = [], []
    for index in chosen:
        error = float(event.output[index]) - float(fahrenheit[index])
        head = f"{float(celsius[index]):g} °C"
        cell = number(error * error, 4)
        width = max(len(head), len(cell), 7)
        if index == sample.index:
            heads.append(f"[b]{head:>{width}}[/b]")
            cells.append(f"[b]{cell:>{width}}[/b]")
        else:
            heads.append(f"{head:>{width}}")
            cells.append(f"{cell:>{width}}")
    label = _("sample")
    squared = "(output − f)²"
    pad = max(cell_len(label), cell_len(squared))  # in cells: 样本 is two characters, four cells

    def padded(text: str) -> str:
        return text + " " * (pad - cell_len(text))

    return (
        Line(f"[dim]{padded(label)}[/dim] " + " ".join(heads), priority=1),
        Line(f"[dim]{padded(squared)}[/dim] " + " ".join(cells), priority=1),
    )


def explain_backward(
    event: BackwardEvent, trainer: TrainerView, sample: Sample, digits: int = 7, width: int = 76
) -> Explanation:
    """The chain rule: the output's gradient for one sample, then the parameters'; and at
    which iteration's parameters they were computed and which update uses them, beside the
    weight's gradient if it fits in ``width`` cells, else on a line of its own."""
    grad_output = float(event.grad_output[sample.index])
    forward = trainer.phases.forward
    same = forward is not None and forward.iteration == event.iteration
    output = float(forward.output[sample.index]) if same and forward is not None else float("nan")
    name = _input_name(trainer)
    samples = len(trainer.dataset)
    at = f"z = {number(sample.input, 4)}" if trainer.mode.standardized else f"{sample.celsius:g} °C"
    if event.gradient == "published":
        weight_rule = Line(
            "grad_weight = Σ grad_output × output   [b $text-error]"
            + _("(the published code)")
            + "[/]"
        )
    else:
        weight_rule = Line(
            f"grad_weight = Σ ∂loss/∂output · ∂output/∂weight = Σ grad_output × {name}"
        )
    # Backward k differentiates at the parameters iteration k − 1 left; update k uses it.
    where = _("at iteration {at}'s w, b → update {update}").format(
        at=count(event.iteration - 1), update=count(event.iteration)
    )
    gradient = trainer.gradient
    if gradient is not None and gradient.by_hand and gradient.update == event.iteration:
        # Hands mode: the parameters the learner set, not those iteration k − 1 left.
        where = _("at your w, b → update {update}").format(update=count(event.iteration))
    lines = (
        Line(f"grad_output at {at} = ∂loss/∂output = 2 (output − fahrenheit) / N"),
        Line(
            f"    = 2 × ({number(output, digits)} − {number(sample.fahrenheit, digits)}) / "
            f"{samples} = [b]{number(grad_output, digits)}[/b]"
        ),
        weight_rule,
        *_beside(f"            = [b]{number(event.grad_weight, digits)}[/b]", where, width),
        Line("grad_bias   = Σ ∂loss/∂output · ∂output/∂bias   = Σ grad_output × 1"),
        Line(f"            = [b]{number(event.grad_bias, digits)}[/b]"),
        *gradient_check_line(trainer, digits),
    )
    title = _("backward · iteration {iteration}").format(iteration=count(event.iteration))
    return Explanation(title, lines)


def _beside(formula: str, note: str, width: int) -> tuple[Line, ...]:
    """The formula line with a dim note after it if both fit ``width`` cells; else the note
    on a line of its own that gives way to the formulas when rows are short."""
    joined = f"{formula}   [dim]{note}[/dim]"
    if _cells(joined) <= width:
        return (Line(joined),)
    return Line(formula), Line(f"[dim]{note}[/dim]", priority=1)


def gradient_check_line(trainer: TrainerView, digits: int) -> tuple[Line, ...]:
    """The backward pass against central differences of the loss: a tick, or a flag."""
    check = trainer.check
    if check is None:
        return ()
    numeric_weight, numeric_bias = check.numeric
    if check.passed:
        text = "[$success]✓[/] " + _(
            "gradient check: central differences of the loss give {weight} and {bias}"
        ).format(weight=number(numeric_weight, digits), bias=number(numeric_bias, digits))
        return (Line(text, priority=1),)
    text = "[b $text-error]✗ " + _(
        "gradient check fails: ∂loss/∂weight is {weight}, not {computed}"
    ).format(weight=number(numeric_weight, digits), computed=number(check.analytic[0], digits))
    return (Line(text + "[/]"),)


def explain_update(event: UpdateEvent, trainer: TrainerView, digits: int = 7) -> Explanation:
    """Each parameter's step, by the optimizer's own formula, and which way it went."""
    optimizer = OPTIMIZERS.get(event.optimizer)
    if optimizer is not None:
        formulas = optimizer.explain(event, lambda value: number(value, digits), rate)
    else:  # an optimizer no longer registered: its event still has the plain numbers
        formulas = (f"{event.optimizer}: weight → {number(event.weight, digits)}",)
    lines = [Line(text) for text in formulas]
    if event.diverged:
        lines.append(
            Line("[b $text-error]" + _("The loss ran away: training has diverged.") + "[/]")
        )
    lines.append(Line(_directions(event.grad_weight, event.grad_bias), priority=1))
    if trainer.mode.standardized:
        lines.append(
            Line(
                "[dim]"
                + _(
                    "These are the weight and bias of z; in °F per °C: weight {weight}, "
                    "bias {bias}."
                ).format(
                    weight=number(trainer.weight.value, digits),
                    bias=number(trainer.bias.value, digits),
                )
                + "[/dim]",
                priority=2,
            )
        )
    if not event.diverged:
        lines.append(Line(_why(event, trainer), priority=3))
    title = _("update ({optimizer}) · iteration {iteration}").format(
        optimizer=event.optimizer, iteration=count(event.iteration)
    )
    return Explanation(title, tuple(lines))


def _why(event: UpdateEvent, trainer: TrainerView) -> str:
    """One sentence on the step's size against the bowl's curvature."""
    optimizer = OPTIMIZERS.get(event.optimizer)
    title = _(optimizer.title) if optimizer is not None else event.optimizer
    limit = trainer.stable_limit
    if not limit < float("inf"):
        text = _("{title}: the curvature sets no stable limit on its learning rate.")
        return f"[dim]{text.format(title=title)}[/dim]"
    product = event.learning_rate * trainer.lambda_max
    kappa = trainer.condition_number
    if trainer.mode.standardized and kappa < 1.01:
        plain = optimizer is not None and issubclass(optimizer, GradientDescent)
        text = (
            _(
                "Round bowl (κ {kappa}): lr × λ = {product}; at 1 the step cancels the "
                "whole error at once."
            )
            if plain
            else _("Round bowl (κ {kappa}): lr × λ = {product}.")
        )
        return f"[dim]{text.format(kappa=f'{kappa:.3g}', product=number(product, 3))}[/dim]"
    # Just above the limit both read "2" to three figures: more digits tell them apart.
    shown, bound = rates_apart(product, limit * trainer.lambda_max)
    text = _(
        "lr × λ_max = {product} (stable below {limit}); the bias direction is {kappa}× flatter."
    ).format(product=shown, limit=bound, kappa=number(kappa, 3))
    return f"[dim]{text}[/dim]"


def _directions(grad_weight: float, grad_bias: float) -> str:
    """Which way each parameter moved, and why: the sign of its gradient."""
    if grad_weight < 0 and grad_bias < 0:
        return "[$success]↑[/] " + _("both up: gradients negative, so larger values lower the loss")
    if grad_weight > 0 and grad_bias > 0:
        return "[$warning]↓[/] " + _(
            "both down: gradients positive, so smaller values lower the loss"
        )
    moves = _("{weight_move}; {bias_move}").format(
        weight_move=_direction(_("weight"), grad_weight),
        bias_move=_direction(_("bias"), grad_bias),
    )
    return moves + "  [dim]" + _("(each moves against its gradient)") + "[/dim]"


def _direction(name: str, gradient: float) -> str:
    if gradient < 0:
        return "[$success]↑[/] " + _("{name} up (gradient < 0)").format(name=name)
    if gradient > 0:
        return "[$warning]↓[/] " + _("{name} down (gradient > 0)").format(name=name)
    return "= " + _("{name} stays (gradient 0)").format(name=name)
