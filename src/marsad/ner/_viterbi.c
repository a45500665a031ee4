/* Viterbi decoding of one linear-chain CRF sequence, as CRFsuite's crf1dc_viterbi does it.
 *
 * Optional speed-up for marsad.ner.crf_weights.viterbi: the numpy version spends most of its
 * time in per-step call overhead (a report's sentences are short and the label set has 7
 * labels), this loop is a few microseconds per sentence. The arithmetic is the same as the
 * numpy fallback and CRFsuite's: alpha[t][j] = max_i(alpha[t-1][i] + trans[i][j]) + state[t][j],
 * the first (lowest) label on ties, so the tags are identical (tests/ner/test_crf_score.py).
 *
 * decode(state, transitions) -> list[int]
 *   state:       2-D float64 buffer (tokens, labels), any strides (a numpy column slice is fine)
 *   transitions: 2-D float64 buffer (labels, labels), any strides
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

static int get_matrix(PyObject *obj, Py_buffer *view, const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) < 0)
        return -1;
    if (view->ndim != 2 || view->itemsize != sizeof(double) || view->format == NULL ||
        strcmp(view->format, "d") != 0) {
        PyErr_Format(PyExc_TypeError, "%s must be a 2-D float64 array", what);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

#define AT(view, r, c) \
    (*(const double *)((const char *)(view).buf + (r) * (view).strides[0] + (c) * (view).strides[1]))

static PyObject *decode(PyObject *self, PyObject *args) {
    PyObject *state_obj, *trans_obj;
    if (!PyArg_ParseTuple(args, "OO:decode", &state_obj, &trans_obj))
        return NULL;
    Py_buffer state, trans;
    if (get_matrix(state_obj, &state, "state") < 0)
        return NULL;
    if (get_matrix(trans_obj, &trans, "transitions") < 0) {
        PyBuffer_Release(&state);
        return NULL;
    }
    Py_ssize_t n = state.shape[0], labels = state.shape[1];
    PyObject *out = NULL;
    double *alpha = NULL;
    Py_ssize_t *back = NULL;
    if (trans.shape[0] != labels || trans.shape[1] != labels) {
        PyErr_SetString(PyExc_ValueError, "transitions must be (labels, labels) for the state's labels");
        goto done;
    }
    if (n == 0 || labels == 0) {
        out = PyList_New(0);
        goto done;
    }
    alpha = PyMem_Malloc(sizeof(double) * 2 * (size_t)labels);
    back = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)n * (size_t)labels);
    if (alpha == NULL || back == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    double *prev = alpha, *cur = alpha + labels;
    for (Py_ssize_t j = 0; j < labels; ++j)
        prev[j] = AT(state, 0, j);
    for (Py_ssize_t t = 1; t < n; ++t) {
        Py_ssize_t *from = back + t * labels;
        for (Py_ssize_t j = 0; j < labels; ++j) {
            double best = prev[0] + AT(trans, 0, j);
            Py_ssize_t arg = 0;
            for (Py_ssize_t i = 1; i < labels; ++i) {
                double score = prev[i] + AT(trans, i, j);
                if (best < score) {  /* strict: the lowest label wins ties */
                    best = score;
                    arg = i;
                }
            }
            from[j] = arg;
            cur[j] = best + AT(state, t, j);
        }
        double *swap = prev;
        prev = cur;
        cur = swap;
    }
    Py_ssize_t label = 0;
    for (Py_ssize_t j = 1; j < labels; ++j)
        if (prev[label] < prev[j])
            label = j;
    out = PyList_New(n);
    if (out == NULL)
        goto done;
    for (Py_ssize_t t = n - 1; t >= 0; --t) {
        PyObject *value = PyLong_FromSsize_t(label);
        if (value == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, t, value);
        if (t)
            label = back[t * labels + label];
    }
done:
    PyMem_Free(alpha);
    PyMem_Free(back);
    PyBuffer_Release(&state);
    PyBuffer_Release(&trans);
    return out;
}

static PyMethodDef methods[] = {
    {"decode", decode, METH_VARARGS,
     "decode(state, transitions) -> list[int]: best label ids of one sequence (CRFsuite's Viterbi)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_viterbi", "Viterbi decoding of one CRF sequence (optional C speed-up).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__viterbi(void) { return PyModule_Create(&module); }
