"""/training: train a softmax classifier by gradient descent on 2D data and watch it learn.

The page reads like its layout, one module per section:

1. the data, generated or the learner's own (explorer/pages/training_data.py), its
   controls right under the player they move;
2. the optimiser, the run's health and metrics, and the player: decision regions and
   learning curves drawn in the browser from the trajectory, every step a frame
   (explorer/pages/training_controls.py, explorer/pages/training_player.py);
3. one panel to inspect the model at a chosen step: the loss landscape, who pulls the
   boundary, the per-example table, the downloads (explorer/pages/training_inspect.py).

Fragments keep reruns small: a change of the optimiser reruns the training section only
(the player gets the new run first), then the inspect section follows the player; a
change of the inspected step or panel reruns that section alone; the step the player is
paused at comes back as the inspected step ``at``. The data and runs are cached in
explorer/pages/training_cache.py.
"""

from __future__ import annotations

import streamlit as st

from explorer.guided.page_settings import PAGE_SETTINGS
from explorer.i18n import N_
from explorer.pages.controls import lesson_header, show_url_notes
from explorer.pages.guided import guided_lesson
from explorer.pages.training_controls import RATES, page_run, training_section
from explorer.pages.training_data import data_section, data_slot
from explorer.pages.training_inspect import inspect_section

SETTINGS = PAGE_SETTINGS["training"]

EXPLANATION = N_("""
**The model.** Each point x = (x1, x2) gets one score per class, s_k = x·w_k + b_k, and
softmax turns the scores into probabilities. Training minimises the mean cross-entropy
−log p_y over the training points (plus ½·reg·ΣW²) by following its gradient
X^T (P − Y) / N + reg·W, one step at a time, with the chosen optimizer.

**The player.** The decision regions are drawn in your browser from the weights of every
step: the colour of the plane is the class the model predicts there, pale where it is
unsure and deep where it is confident (or flat with *Discretize output*); the dark lines
are the decision boundaries. Filled points train, hollow ones are held out (test).
**▶ Play** (or Space) runs the steps, **❚❚ Pause** stops where you are and Play resumes
from there; ◀ and ▶| (or the arrow keys) move one step; ↺ (Home) restarts. The marker on
the curves follows the player, and the paused step is the one inspected below.

**Raw or quadratic features.** On raw features (x1, x2) a linear model can only draw
straight boundaries, so rings (*circles*) and opposite quadrants (*xor*) are out of reach.
Adding x1², x2² and x1·x2 as inputs keeps the model linear in its weights but lets the
boundaries curve: x1² + x2² separates rings, x1·x2 separates quadrants.

**When training goes wrong.** Without L2 the gradient of the cross-entropy, X^T (P − Y) / N,
is bounded by the size of the inputs, so plain gradient descent on a softmax classifier
cannot blow up geometrically: a learning rate that is too large makes each step
*overshoot*, and the loss rises instead of falling (oscillation), or ends above where it
started. The curvature of the loss grows with the square of the inputs, so inputs ×10
(the *Input scale* control) divide the largest stable learning rate by 100: try scale ×10
on *spiral*, or ×100 with quadratic features. True blow-up to infinity needs L2 with
lr·reg > 2, because each step then multiplies W by 1 − lr·reg. The page flags both, says
why in one sentence, and suggests a smaller rate that it has trained and checked.

**Learning curves.** Solid lines are measured on the training points, dashed lines on the
test points. Training loss that keeps falling while the test loss rises is overfitting.

**Inspect a step.** Pick a step, then a panel: the **landscape** is the loss over two
weights with every other parameter frozen at that step, and the optimiser's path drawn on
it; **pulls** shows every point's share x·(p_k − y_k) of the gradient of one class's weights;
**examples** lists scores, probabilities and loss per point, and the test confusion matrix.
""")

guided_lesson("training")
notes_slot = lesson_header(
    N_("Training by gradient descent"),
    N_("Train a softmax classifier on 2D points and watch gradient descent move the decision "
       "boundaries, step by step."),
    EXPLANATION, SETTINGS, forget=(RATES.values_key,),
)
# The data controls are made first (the run needs them) but sit under the player.
training_slot = st.container()
data_settings, custom_csv = data_section(data_slot())
with page_run():
    with training_slot:
        training_section(data_settings, custom_csv)
    inspect_section()
show_url_notes(notes_slot)
