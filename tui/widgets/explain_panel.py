"""The explanation panel: the phase just performed, as the tutorial writes it, with live numbers.

Every number here is read from a ``core`` event, the dataset or the trainer's
loss surface; the panel only arranges them next to the formula they come from.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Static

from core import OPTIMIZERS, BackwardEvent, Dataset, Event, ForwardEvent, UpdateEvent
from core.types import Phase
from tui.format import count, number, rate

NEXT_HINT = {
    "forward": "next: forward · s",
    "backward": "next: backward · s",
    "update": "next: update · s",
}


@dataclass(frozen=True)
class Setup:
    """What the neuron is trained on and with, as far as the formulas change with it."""

    standardized: bool
    """True when the input is z = (celsius − shift) / scale rather than celsius."""
    shift: float
    """The mean celsius subtracted when standardised."""
    scale: float
    """The standard deviation divided by when standardised."""
    lambda_max: float
    """The steepest curvature of the bowl being walked."""
    condition_number: float
    """How much steeper it is than the flattest curvature."""
    stable_product: float
    """The largest lr × λ_max at which the optimizer in use still converges (inf: none)."""
    original: tuple[float, float]
    """The current (weight, bias) in the original units."""


class ExplainPanel(Static):
    """Formula, substituted numbers and a sentence for the last phase, for one sample.

    Its height is fixed (the longest phase needs six lines) so stepping
    through the phases never shifts the rest of the screen.
    """

    DEFAULT_CSS = """
    ExplainPanel {
        display: none;
        height: 8;
        padding: 0 1;
    }
    ExplainPanel.-open {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._shown = ""

    def show(
        self,
        event: Event | None,
        *,
        forward: ForwardEvent | None,
        dataset: Dataset,
        inputs: Dataset,
        sample: int,
        next_phase: Phase,
        iteration: int,
        setup: Setup,
    ) -> None:
        """Explain ``event`` (None before the first phase) for sample number ``sample``.

        ``dataset`` is in the original units; ``inputs`` is what the neuron
        sees (the same, or with standardised celsius). ``forward`` is the
        forward event of the same iteration, whose outputs the backward
        explanation refers to.
        """
        celsius = float(dataset.celsius[sample])
        x = float(inputs.celsius[sample])
        fahrenheit = float(dataset.fahrenheit[sample])
        n = len(dataset)
        if isinstance(event, ForwardEvent):
            title, text = explain_forward(event, x, fahrenheit, sample, n, setup)
        elif isinstance(event, BackwardEvent):
            output = float(forward.output[sample]) if forward is not None else float("nan")
            title, text = explain_backward(event, x, fahrenheit, output, sample, n, setup)
        elif isinstance(event, UpdateEvent):
            title, text = explain_update(event, setup)
        else:
            title = f"iteration {iteration + 1}"
            text = (
                "Each iteration runs three phases. Press [b]s[/b] for the first, "
                "[b]forward[/b]: predict every sample with the current weight and bias "
                "(output = celsius × weight + bias), then measure the loss, the mean "
                "squared error. [b]\\[[/b] and [b]][/b] choose the sample explained; "
                "[b]e[/b] hides this panel."
            )
        self.border_title = title
        self.border_subtitle = f"sample {celsius:g} °C · [ ] · {NEXT_HINT[next_phase]}"
        if text != self._shown:
            self._shown = text
            self.update(text)


def _input_name(setup: Setup) -> str:
    return "z" if setup.standardized else "celsius"


def explain_forward(
    event: ForwardEvent, x: float, fahrenheit: float, sample: int, samples: int, setup: Setup
) -> tuple[str, str]:
    """The forward pass for one sample, and the loss over all of them."""
    output = float(event.output[sample])
    name = _input_name(setup)
    if setup.standardized:
        sign = "−" if setup.shift >= 0 else "+"
        first = (
            f"[dim]Standardised input: z = (celsius {sign} {number(abs(setup.shift), 4)}) / "
            f"{number(setup.scale, 4)}, same predictions.[/dim]"
        )
    else:
        first = "[dim]Predict every sample, then measure how wrong the predictions are.[/dim]"
    lines = [
        first,
        f"output = {name} × weight + bias",
        f"       = {number(x, 7)} × {number(event.weight, 7)} + {number(event.bias, 7)}"
        f" = [b]{number(output, 7)}[/b]   [dim](truth {number(fahrenheit, 7)})[/dim]",
        f"loss   = Σ (output − fahrenheit)² / N   [dim]over all N = {samples} samples[/dim]",
        f"       = [b]{number(event.loss, 7)}[/b]",
    ]
    return f"forward · iteration {count(event.iteration)}", "\n".join(lines)


def explain_backward(
    event: BackwardEvent,
    x: float,
    fahrenheit: float,
    output: float,
    sample: int,
    samples: int,
    setup: Setup,
) -> tuple[str, str]:
    """The chain rule: the output's gradient for one sample, then the parameters'."""
    grad_output = float(event.grad_output[sample])
    name = _input_name(setup)
    at = f"z = {number(x, 4)}" if setup.standardized else f"{x:g} °C"
    lines = [
        f"grad_output at {at} = ∂loss/∂output = 2 (output − fahrenheit) / N",
        f"    = 2 × ({number(output, 7)} − {number(fahrenheit, 7)}) / {samples}"
        f" = [b]{number(grad_output, 7)}[/b]",
        f"grad_weight = Σ ∂loss/∂output · ∂output/∂weight = Σ grad_output × {name}",
        f"            = [b]{number(event.grad_weight, 7)}[/b]",
        "grad_bias   = Σ ∂loss/∂output · ∂output/∂bias   = Σ grad_output × 1",
        f"            = [b]{number(event.grad_bias, 7)}[/b]",
    ]
    return f"backward · iteration {count(event.iteration)}", "\n".join(lines)


def explain_update(event: UpdateEvent, setup: Setup) -> tuple[str, str]:
    """Each parameter's step, by the optimizer's own formula, and which way it went."""
    optimizer = OPTIMIZERS[event.optimizer]
    lines = list(optimizer.explain(event, lambda value: number(value, 7), rate))
    lines.append(_directions(event.grad_weight, event.grad_bias))
    if setup.standardized:
        weight, bias = setup.original
        lines.append(
            f"[dim]These are the weight and bias of z; in °F per °C: weight "
            f"{number(weight, 7)}, bias {number(bias, 7)}.[/dim]"
        )
    if event.diverged:
        lines.append("[b $error]The loss ran away: training has diverged.[/]")
    else:
        lines.append(_why(event, setup))
    return f"update ({event.optimizer}) · iteration {count(event.iteration)}", "\n".join(lines)


def _why(event: UpdateEvent, setup: Setup) -> str:
    """One sentence on the step's size against the bowl's curvature."""
    if event.optimizer == "adam":
        return "[dim]Adam: each step is about one learning rate long, steep or flat.[/dim]"
    product = event.learning_rate * setup.lambda_max
    limit = number(setup.stable_product, 3)
    if setup.standardized and setup.condition_number < 1.01:
        if event.optimizer == "gd":
            return (
                f"[dim]Round bowl (κ {setup.condition_number:.3g}): lr × λ = "
                f"{number(product, 3)}; at 1 the step cancels the whole error at once.[/dim]"
            )
        kappa = f"{setup.condition_number:.3g}"
        return f"[dim]Round bowl (κ {kappa}): lr × λ = {number(product, 3)}.[/dim]"
    return (
        f"[dim]lr × λ_max = {number(product, 3)} (stable below {limit}); the bias "
        f"direction is {number(setup.condition_number, 3)}× flatter.[/dim]"
    )


def _directions(grad_weight: float, grad_bias: float) -> str:
    """Which way each parameter moved, and why: the sign of its gradient."""
    moves = [
        _direction(name, gradient)
        for name, gradient in (("weight", grad_weight), ("bias", grad_bias))
    ]
    if grad_weight < 0 and grad_bias < 0:
        return "[$success]↑[/] both up: gradients negative, so larger values lower the loss"
    if grad_weight > 0 and grad_bias > 0:
        return "[$warning]↓[/] both down: gradients positive, so smaller values lower the loss"
    return "; ".join(moves) + "  [dim](each moves against its gradient)[/dim]"


def _direction(name: str, gradient: float) -> str:
    if gradient < 0:
        return f"[$success]↑[/] {name} up (gradient < 0)"
    if gradient > 0:
        return f"[$warning]↓[/] {name} down (gradient > 0)"
    return f"= {name} stays (gradient 0)"
