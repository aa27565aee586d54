"""Every text the live views show (/softmax, /weights, the /training player and landscape,
the offline page), in the session's language.

The views (explorer/web/softmax_view.js, weights_view.js, and the charts they draw) hold no
words of their own: the page sends these texts as ``data.labels`` (explorer/pages/live.py)
and the offline file sends the same (explorer/offline.py). A text with named fields
(``{shift}``) is filled in by the browser with its numbers (explorer/web/dom.js ``fill``).
The controls that are also settings use the setting's own label, so a slider reads the
same in the browser and on the server. Pure Python.
"""

from __future__ import annotations

from explorer.i18n import _, ngettext
from explorer.settings import specs


def chart_words() -> dict:
    """The words of the charts' text alternatives (explorer/web/chart_text.js) and cells."""
    return {
        "bars": _("{title}. Bar chart of {count} classes: {symbol} = {values}; largest: class "
                  "{largest}"),
        "target": _("; target class y = {target}"),
        "heatmap": _("{title}. Heatmap, {rows} × {cols}"),
        "extremes": _("Smallest {low} at {low_row}, {low_col}; largest {high} at {high_row}, "
                      "{high_col}."),
        "diagonal": _(" Diagonal: {values}."),
        "regions": _("Decision regions of {count} classes; the example x = ({x1}, {x2}) of "
                     "class {y}; weight vectors {vectors}."),
    }


def softmax_labels() -> dict:
    """The texts of the /softmax view."""
    return {
        "controls": _("Softmax controls"),
        "k": _(specs.SOFTMAX_K.label),
        "t": _(specs.TEMPERATURE.label),
        "y": _(specs.SOFTMAX_TARGET.label),
        "logitsGroup": _("Logits z"),
        "big": _("Overflow demo: add +{shift} to every logit"),
        "outlined": _("The outlined bars are the target class y."),
        "gradientNote": _("p − y is T times the gradient of the loss: ∂L/∂z = (p − y)/T. "
                          "A gradient-descent step raises z_y and lowers every other logit."),
        "logits": _("logits z"),
        "logitsShifted": _("logits z + {shift}"),
        "probs": _("probabilities p (T = {t})"),
        "loss": _("L = −log p_y = "),
        "jacobian": _("Jacobian J[i][j] = ∂p_i/∂z_j"),
        "selected": _("Selected J[{i}][{j}] = ∂p{i}/∂z{j} = {value}"),
        "selectHint": _(" (arrow keys move, Enter selects; the derivation is below)."),
        "selectHintOffline": _(" (arrow keys move, Enter selects)."),
        "chart": chart_words(),
    }


def weights_labels() -> dict:
    """The texts of the /weights view."""
    return {
        "controls": _("Example and model"),
        "modelGroup": _("The example and the model"),
        "k": _(specs.WEIGHTS_K.label),
        "y": _(specs.WEIGHTS_TARGET.label),
        "reg": _(specs.WEIGHTS_REG.label),
        "weightsGroup": _("Weights W[i][k] and biases b[k]"),
        "descentGroup": _("Gradient descent"),
        "lr": _(specs.WEIGHTS_LR.label),
        "step": _("Take one gradient step"),
        "plane": _("Decision regions (paler = less sure), the weight vectors w_k (columns of "
                   "W) and, dashed, the step −lr·∂L/∂w_k"),
        "gradients": _("dL/dW = x (p − y)ᵀ + reg·W   and   dL/db = p − y"),
        "j": _(specs.PROB_CLASS.label),
        "mistake": _(specs.COMMON_MISTAKE.label),
        "probs": _("probabilities p = softmax(xW + b)"),
        "loss": _("Loss L = {loss}"),
        # The browser knows the count: it picks "one" for 1 and "other" otherwise, which is
        # every plural rule of the four languages for the counts it shows (1 to 1000).
        "history": {form: ngettext("  after {count} step at lr {lr}: ",
                                   "  after {count} steps at lr {lr}: ", n)
                    for form, n in (("one", 1), ("other", 2))},
        "classAxis": _("class k"),
        "dW": _("dL/dW (total)"),
        "dprobCorrect": _("∂p{j}/∂W[i][k] from the correct formula"),
        "dprobMistaken": _("∂p{j}/∂W[i][k] from the mistaken formula"),
        "mistakenNote": _("Mistaken: ∂p_j/∂W[i][k] = p_j δ_jk x_i. The {count} dotted entries "
                          "differ from the correct p_j (δ_jk − p_k) x_i: the diagonal is too "
                          "large and every other class is wrongly 0."),
        "correctNote": _("Correct: ∂p_j/∂W[i][k] = p_j (δ_jk − p_k) x_i."),
        "chart": chart_words(),
    }


def player_words() -> dict:
    """The texts of the /training player (explorer/web/training_player.js)."""
    return {
        "player": _("training player: Space plays or pauses, arrow keys step"),
        "toolbar": _("player"),
        "restart": _("↺ Restart"),
        "restartTitle": _("Restart from step 0 (Home)"),
        "back": "◀",
        "backTitle": _("Step back (←)"),
        "play": _("▶ Play"),
        "pause": _("❚❚ Pause"),
        "playTitle": _("Play or pause (Space)"),
        "forward": "▶|",
        "forwardTitle": _("Step forward (→)"),
        "scrub": _("step"),
        "speed": _("speed "),
        "speedLabel": _("steps per second"),
        "speedOption": _("{speed} steps/s"),
        "counter": _("step {step} / {last}"),
        "stopped": _("{run} stopped at step {steps}."),
        "regions": _("Decision regions of {run} at step {step} of {steps}, {count} classes, "
                     "training loss {loss}. {classes}."),
        "regionClass": _("{name}: w = ({w}), b = {b}"),
        "className": _("class {k}"),
        "curvesLabel": _("loss and accuracy against step"),
        "curves": _("Loss and accuracy against step, marker at step {step}. {runs}."),
        "curveRun": _("{run}: loss {first} at step 0, {now} at step {step}, {last} at step "
                      "{steps}"),
        "marker": _("step {step}"),
        "stepAxis": _("step"),
        "lossAxis": _("loss"),
        "lossLogAxis": _("loss (log)"),
        "accuracyAxis": _("accuracy"),
    }


def landscape_words() -> dict:
    """The texts of the /training landscape (explorer/web/landscape_view.js)."""
    return {
        "label": _("loss over {x} and {y}"),
        "start": _("start"),
        "end": _("end"),
        "endOf": _("end {number}"),
        "loss": _("loss"),
    }


def offline_labels() -> dict:
    """The texts of an offline file's own page (explorer/web/offline_app.js)."""
    return {
        "ignored": _("Some values of this link were ignored. "),
        "previous": _("← Previous"),
        "next": _("Next →"),
        "reveal": _("Reveal"),
        "where": _(" · step {number} of {total}: "),
        "right": _("Right: {answer}. "),
        "wrong": _("Not quite. The answer is: {answer}. "),
        "unreadable": _("The numbers cannot be read for these settings: {reason}"),
        "serverNote": _("{names}: computed when the file was exported, for this step's own "
                        "settings (central differences run on the server)."),
        "hash": {  # the notes on an address (#hash) value ignored (explorer/web/offline_hash.js)
            "ignored": _("“{name}” was ignored ({reason}); the default is shown."),
            "badText": _("“{part}” is not valid URL text, so it was ignored."),
            "trueFalse": _("expected true or false"),
            "values": _("expected {count} values"),
            "rows": _("expected {count} values (rows)"),
            "number": _("not a number"),
            "finite": _("not a finite number"),
            "whole": _("expected a whole number"),
            "range": _("expected a value from {min} to {max}"),
            "options": _("expected one of {options}"),
            "unreadable": _("this field cannot be read from a link"),
            "noLesson": _("this file holds no lesson"),
            "unknown": _("no such setting"),
        },
    }


#: Page -> the texts of its live view.
VIEW_LABELS = {"softmax": softmax_labels, "weights": weights_labels}
