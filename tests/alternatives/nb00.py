"""Correct answers to 00_setup, written as different learners write them."""

from alternatives import Alternative

NB = "00_setup"

_SLOPE = "return (y2 - y1) / (x2 - x1)"
_F = "return 3 * x**2 - 4 * x + 5"
_DERIVATIVE = "return (f(x + h) - f(x)) / h"
_PARTIALS = """\
    dd_da = ((a + h) * b + c - d1) / h
    dd_db = (a * (b + h) + c - d1) / h
    dd_dc = (a * b + (c + h) - d1) / h
    return dd_da, dd_db, dd_dc"""

ALTERNATIVES = [
    # --- slope ---
    Alternative(
        "slope_rise_and_run_named",
        NB,
        "ex-slope",
        _SLOPE,
        "rise = y2 - y1\n    run = x2 - x1\n    return rise / run",
        "intermediate names",
    ),
    Alternative(
        "slope_subtracted_the_other_way",
        NB,
        "ex-slope",
        _SLOPE,
        "return (y1 - y2) / (x1 - x2)",
        "both differences reversed",
    ),
    Alternative(
        "slope_as_numpy_float",
        NB,
        "ex-slope",
        _SLOPE,
        "import numpy as np\n\n    return np.float64(y2 - y1) / np.float64(x2 - x1)",
        "numpy float",
    ),
    # --- f ---
    Alternative(
        "f_x_times_x",
        NB,
        "ex-f",
        _F,
        "return 3 * x * x - 4 * x + 5",
        "x * x for the square",
    ),
    Alternative(
        "f_with_pow",
        NB,
        "ex-f",
        _F,
        "return 3 * pow(x, 2) - 4 * x + 5",
        "built-in pow",
    ),
    Alternative(
        "f_numpy_polyval",
        NB,
        "ex-f",
        _F,
        "import numpy as np\n\n    return np.polyval([3, -4, 5], x)",
        "numpy polynomial, returns a numpy float",
    ),
    # --- numerical derivative ---
    Alternative(
        "derivative_central_difference",
        NB,
        "ex-derivative",
        _DERIVATIVE,
        "return (f(x + h) - f(x - h)) / (2 * h)",
        "central difference",
    ),
    Alternative(
        "derivative_named_rise_and_smaller_h",
        NB,
        "ex-derivative",
        "    return (f(x + h) - f(x)) / h\n    ### END SOLUTION\n\n\nh = 0.0001",
        "    rise = f(x + h) - f(x)\n    run = h\n    return rise / run\n"
        "    ### END SOLUTION\n\n\nh = 1e-6",
        "named rise and run, h = 1e-6",
    ),
    Alternative(
        "derivative_backward_difference",
        NB,
        "ex-derivative",
        _DERIVATIVE,
        "y1 = f(x - h)\n    y2 = f(x)\n    return (y2 - y1) / h",
        "backward difference",
    ),
    # --- partial derivatives ---
    Alternative(
        "partials_loop_over_nudges",
        NB,
        "ex-partials",
        _PARTIALS,
        """\
    slopes = []
    for da, db, dc in [(h, 0, 0), (0, h, 0), (0, 0, h)]:
        d2 = (a + da) * (b + db) + (c + dc)
        slopes.append((d2 - d1) / h)
    return slopes""",
        "a loop, returns a list",
    ),
    Alternative(
        "partials_helper_function",
        NB,
        "ex-partials",
        _PARTIALS,
        """\
    def d(a, b, c):
        return a * b + c

    return (
        (d(a + h, b, c) - d1) / h,
        (d(a, b + h, c) - d1) / h,
        (d(a, b, c + h) - d1) / h,
    )""",
        "a helper for d, one tuple",
    ),
    Alternative(
        "partials_central_numpy",
        NB,
        "ex-partials",
        _PARTIALS,
        """\
    import numpy as np

    point = np.array([a, b, c], dtype=float)
    slopes = []
    for i in range(3):
        step = np.zeros(3)
        step[i] = h
        up, down = point + step, point - step
        slopes.append((up[0] * up[1] + up[2] - (down[0] * down[1] + down[2])) / (2 * h))
    return np.array(slopes)""",
        "numpy arrays, central differences",
    ),
]
