"""The explanation panel: the phase just performed, as the tutorial writes it, with live numbers.

Every number here is read from a ``core`` event or the dataset; the panel only
arranges them next to the formula they come from.
"""

from __future__ import annotations

from textual.widgets import Static

from core import BackwardEvent, Dataset, Event, ForwardEvent, UpdateEvent
from core.types import Phase
from tui.format import number, rate

NEXT_HINT = {
    "forward": "next: forward · s",
    "backward": "next: backward · s",
    "update": "next: update · s",
}


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
        sample: int,
        next_phase: Phase,
        iteration: int,
    ) -> None:
        """Explain ``event`` (None before the first phase) for sample number ``sample``.

        ``forward`` is the forward event of the same iteration, whose outputs
        the backward explanation refers to.
        """
        celsius = float(dataset.celsius[sample])
        fahrenheit = float(dataset.fahrenheit[sample])
        if isinstance(event, ForwardEvent):
            title, text = explain_forward(event, celsius, fahrenheit, sample, len(dataset))
        elif isinstance(event, BackwardEvent):
            output = float(forward.output[sample]) if forward is not None else float("nan")
            title, text = explain_backward(event, celsius, fahrenheit, output, sample, len(dataset))
        elif isinstance(event, UpdateEvent):
            title, text = explain_update(event)
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


def explain_forward(
    event: ForwardEvent, celsius: float, fahrenheit: float, sample: int, samples: int
) -> tuple[str, str]:
    """The forward pass for one sample, and the loss over all of them."""
    output = float(event.output[sample])
    lines = [
        "[dim]Predict every sample, then measure how wrong the predictions are.[/dim]",
        "output = celsius × weight + bias",
        f"       = {celsius:g} × {number(event.weight, 7)} + {number(event.bias, 7)}"
        f" = [b]{number(output, 7)}[/b]   [dim](truth {number(fahrenheit, 7)})[/dim]",
        f"loss   = Σ (output − fahrenheit)² / N   [dim]over all N = {samples} samples[/dim]",
        f"       = [b]{number(event.loss, 7)}[/b]",
    ]
    return f"forward · iteration {event.iteration}", "\n".join(lines)


def explain_backward(
    event: BackwardEvent,
    celsius: float,
    fahrenheit: float,
    output: float,
    sample: int,
    samples: int,
) -> tuple[str, str]:
    """The chain rule: the output's gradient for one sample, then the parameters'."""
    grad_output = float(event.grad_output[sample])
    lines = [
        f"grad_output at {celsius:g} °C = ∂loss/∂output = 2 (output − fahrenheit) / N",
        f"    = 2 × ({number(output, 7)} − {number(fahrenheit, 7)}) / {samples}"
        f" = [b]{number(grad_output, 7)}[/b]",
        "grad_weight = Σ ∂loss/∂output · ∂output/∂weight = Σ grad_output × celsius",
        f"            = [b]{number(event.grad_weight, 7)}[/b]",
        "grad_bias   = Σ ∂loss/∂output · ∂output/∂bias   = Σ grad_output × 1",
        f"            = [b]{number(event.grad_bias, 7)}[/b]",
    ]
    return f"backward · iteration {event.iteration}", "\n".join(lines)


def explain_update(event: UpdateEvent) -> tuple[str, str]:
    """Each parameter's step against its gradient, and which way it went."""
    lr = rate(event.learning_rate)
    lines = [
        "parameter ← parameter − learning_rate × gradient",
        f"weight ← {number(event.previous_weight, 7)} − {lr} × ({number(event.grad_weight, 7)})"
        f" = [b]{number(event.weight, 7)}[/b]",
        f"bias   ← {number(event.previous_bias, 7)} − {lr} × ({number(event.grad_bias, 7)})"
        f" = [b]{number(event.bias, 7)}[/b]",
        _direction("weight", event.grad_weight),
        _direction("bias", event.grad_bias),
    ]
    if event.diverged:
        lines.append("[b $error]The loss ran away: training has diverged.[/]")
    return f"update · iteration {event.iteration}", "\n".join(lines)


def _direction(name: str, gradient: float) -> str:
    """Which way a parameter moved, and why, from the sign of its gradient."""
    if gradient < 0:
        return (
            f"[$success]↑[/] {name} up: its gradient is negative, "
            f"so a larger {name} lowers the loss"
        )
    if gradient > 0:
        return (
            f"[$warning]↓[/] {name} down: its gradient is positive, "
            f"so a smaller {name} lowers the loss"
        )
    return f"= {name} stays: its gradient is zero, the loss is flat in that direction"
