/* A page's foot ink bounded from its content stream, in compiled code: a first stamp's measuring.
 *
 * The same reading as `watermark/ink/content_ink.py` (glyphs as the font's box times the
 * string's length, strokes widened by their width and joins, pictures and forms where they
 * are placed, clipping ignored, nothing ever subtracted), kept to the lowest `foot` rows of the
 * page's ink grid, which is all a first stamp's plan reads. It covers at least every cell a
 * render finds inked there. What it cannot bound cheaply it declines (returns None): shadings,
 * inline images, Type 3 glyph procedures, an unknown font or form, content that does not
 * parse, paint covering a large part of the page; the caller renders such a page.
 *
 * foot(data, resources, start, width, height, rows, cols, foot, annots) -> bytes | None
 *   data       the page's content, its streams joined
 *   resolver   resolver(kind, name) tells what a resource the content names is (kind 0 a
 *              font, 1 a graphics state, 2 an xobject; name as bytes, no slash), asked once
 *              a name (`watermark.ink.content_foot`): a font is (min_advance, max_advance,
 *              x0, y0, x1, y1, bytes_per_glyph), None if only a render bounds it; a state
 *              (line_width, miter), each a float or None, or None if it may darken paper; an
 *              xobject () if nothing is drawn, 0 a picture, 1 a stencil mask, (content,
 *              matrix, resolver) a form (resolver None: the page's), None if only a render
 *              bounds it
 *   start      the matrix from the page's space to its displayed box
 *   annots     rectangles (x0, y0, x1, y1) in the page's space a render draws
 * Returns the foot's cells grown as a render's are, the row above taken as ink: np.packbits of
 * the `foot` x `cols` cells, row 0 the lowest (`watermark.ink.room.Ink.of_foot`).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPERANDS 32
#define MAX_SAVED 256
#define MAX_DEPTH 8
#define LIGHT 0.96
#define MARGIN 1.0
#define LARGE 0.25

/* Plain comparisons, inlined (libm's fmin and fmax are calls): every value they see is finite,
 * `number` refusing any other and `mark` checking what it computes. */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

enum { T_NUM, T_NAME, T_STR, T_ARRAY, T_OTHER };
enum { SP_OTHER, SP_GRAY, SP_RGB, SP_CMYK };

typedef struct {
    int type;
    double num;
    const char *s; /* a name's first character, an array's first byte */
    Py_ssize_t len; /* a name's or array's length; a string's bytes */
} Operand;

typedef struct {
    double min_adv, max_adv, x0, y0, x1, y1;
    int bpg;
} Font;

typedef struct {
    double ctm[6];
    int fill_light, stroke_light, fill_space, stroke_space, has_font, tr;
    double width, miter, size, tc, tw, th, tl, ts;
    Font font;
} State;

typedef struct {
    double width, height, cell_w, cell_h, area_limit;
    int cols, foot;
    unsigned char *cells;
    int declined;
} Grid;

static void multiply(const double *m, const double *n, double *out)
{
    double r[6];
    r[0] = m[0] * n[0] + m[1] * n[2];
    r[1] = m[0] * n[1] + m[1] * n[3];
    r[2] = m[2] * n[0] + m[3] * n[2];
    r[3] = m[2] * n[1] + m[3] * n[3];
    r[4] = m[4] * n[0] + m[5] * n[2] + n[4];
    r[5] = m[4] * n[1] + m[5] * n[3] + n[5];
    memcpy(out, r, sizeof r);
}

static double stretch(const double *m)
{
    return sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2] + m[3] * m[3]);
}

/* Mark the rectangle (x0, y0)-(x1, y1) of a space `m` maps to the display, grown by `grow`. */
static void mark(Grid *g, double x0, double y0, double x1, double y1, const double *m, double grow, int large)
{
    double xs[4] = {m[0] * x0 + m[2] * y0, m[0] * x1 + m[2] * y0, m[0] * x0 + m[2] * y1, m[0] * x1 + m[2] * y1};
    double ys[4] = {m[1] * x0 + m[3] * y0, m[1] * x1 + m[3] * y0, m[1] * x0 + m[3] * y1, m[1] * x1 + m[3] * y1};
    double left = xs[0], right = xs[0], bottom = ys[0], top = ys[0];
    for (int i = 0; i < 4; i++) {
        if (!isfinite(xs[i]) || !isfinite(ys[i])) {
            g->declined = 1;
            return;
        }
        left = MIN(left, xs[i]);
        right = MAX(right, xs[i]);
        bottom = MIN(bottom, ys[i]);
        top = MAX(top, ys[i]);
    }
    left += m[4] - grow;
    right += m[4] + grow;
    bottom += m[5] - grow;
    top += m[5] + grow;
    if (!(isfinite(left) && isfinite(right) && isfinite(bottom) && isfinite(top))) {
        g->declined = 1;
        return;
    }
    if (right < 0 || top < 0 || left > g->width || bottom > g->height)
        return;
    if (large) {
        double area = (fmin(right, g->width) - fmax(left, 0.0)) * (fmin(top, g->height) - fmax(bottom, 0.0));
        if (area > g->area_limit) {
            g->declined = 1; /* a scan, a background: the paper is only found in the pixels */
            return;
        }
    }
    double r0 = floor((bottom - MARGIN) / g->cell_h);
    if (r0 >= g->foot)
        return;
    double c0 = fmax(0.0, floor((left - MARGIN) / g->cell_w));
    double c1 = fmin((double)g->cols, ceil((right + MARGIN) / g->cell_w));
    double r1 = fmin((double)g->foot, ceil((top + MARGIN) / g->cell_h));
    r0 = fmax(0.0, r0);
    for (int r = (int)r0; r < (int)r1; r++)
        for (int c = (int)c0; c < (int)c1; c++)
            g->cells[(Py_ssize_t)r * g->cols + c] = 1;
}

enum { C_SPACE = 1, C_DELIM = 2 };
static unsigned char classes[256]; /* each byte's class, filled when the module loads */

static void fill_classes(void)
{
    const char *spaces = "\0\t\n\f\r ", *delims = "()<>[]{}/%";
    for (int i = 0; i < 6; i++)
        classes[(unsigned char)spaces[i]] |= C_SPACE;
    for (const char *d = delims; *d; d++)
        classes[(unsigned char)*d] |= C_DELIM;
}

static inline int is_space(unsigned char c)
{
    return classes[c] & C_SPACE;
}

static inline int is_delim(unsigned char c)
{
    return classes[c] & C_DELIM;
}

static inline int ends_token(unsigned char c)
{
    return classes[c];
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Skip a literal string from its '('; return the position after its ')', or NULL if it never ends. */
static const char *skip_string(const char *p, const char *end)
{
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p + 1;
    }
    return NULL;
}

/* Skip a hex string from its '<'; set *digits; return the position after '>' or NULL. */
static const char *skip_hex(const char *p, const char *end, Py_ssize_t *digits)
{
    Py_ssize_t n = 0;
    for (p++; p < end; p++) {
        if (*p == '>') {
            *digits = n;
            return p + 1;
        }
        if (is_hex((unsigned char)*p))
            n++;
        else if (!is_space((unsigned char)*p))
            return NULL;
    }
    return NULL;
}

/* Skip a dictionary from its '<<' (dictionaries and strings nested); NULL if it never ends. */
static const char *skip_dict(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        if (p + 1 < end && p[0] == '<' && p[1] == '<') {
            depth++;
            p += 2;
        } else if (p + 1 < end && p[0] == '>' && p[1] == '>') {
            p += 2;
            if (--depth == 0)
                return p;
        } else if (*p == '(') {
            if (!(p = skip_string(p, end)))
                return NULL;
        } else
            p++;
    }
    return NULL;
}

/* Parse a number at p (PDF's: no exponent); return its end, or NULL if what follows is no delimiter. */
static const char *number(const char *p, const char *end, double *out)
{
    const char *q = p;
    double sign = 1.0, value = 0.0, scale = 0.1;
    int digits = 0;
    if (q < end && (*q == '+' || *q == '-')) {
        if (*q == '-')
            sign = -1.0;
        q++;
    }
    while (q < end && *q >= '0' && *q <= '9') {
        value = value * 10 + (*q++ - '0');
        digits++;
    }
    if (q < end && *q == '.') {
        q++;
        while (q < end && *q >= '0' && *q <= '9') {
            value += (*q++ - '0') * scale;
            scale *= 0.1;
            digits++;
        }
    }
    if (!digits || (q < end && !ends_token((unsigned char)*q)) || !isfinite(value))
        return NULL;
    *out = sign * value;
    return q;
}

/* Skip an array from its '['; strings, names and numbers inside; NULL if it never ends or nests. */
static const char *skip_array(const char *p, const char *end)
{
    Py_ssize_t digits;
    for (p++; p < end;) {
        unsigned char c = (unsigned char)*p;
        if (c == ']')
            return p + 1;
        if (c == '(')
            p = skip_string(p, end);
        else if (c == '<')
            p = skip_hex(p, end, &digits);
        else if (c == '[' || c == '{' || c == '}' || c == ')' || c == '>')
            return NULL;
        else
            p++;
        if (!p)
            return NULL;
    }
    return NULL;
}


static int number_operands(const Operand *ops, int n, int want, double *out)
{
    if (n != want)
        return 0;
    for (int i = 0; i < n; i++) {
        if (ops[i].type != T_NUM)
            return 0;
        out[i] = ops[i].num;
    }
    return 1;
}

static int name_is(const Operand *op, const char *name)
{
    Py_ssize_t len = (Py_ssize_t)strlen(name);
    return op->type == T_NAME && op->len == len && memcmp(op->s, name, len) == 0;
}

/* Is a colour in `space` given by numbers `ops` as light as paper? Only device spaces are trusted. */
static int light(int space, const Operand *ops, int n)
{
    double v[4];
    if (space == SP_GRAY && n >= 1 && number_operands(ops, 1, 1, v))
        return v[0] >= LIGHT;
    if (space == SP_RGB && number_operands(ops, n, 3, v))
        return fmin(v[0], fmin(v[1], v[2])) >= LIGHT;
    if (space == SP_CMYK && number_operands(ops, n, 4, v))
        return fmax(fmax(v[0], v[1]), fmax(v[2], v[3])) <= 1 - LIGHT;
    return 0;
}

static int space_of(const Operand *op)
{
    if (name_is(op, "DeviceGray"))
        return SP_GRAY;
    if (name_is(op, "DeviceRGB"))
        return SP_RGB;
    if (name_is(op, "DeviceCMYK"))
        return SP_CMYK;
    return SP_OTHER;
}

/* The resources one content stream names, asked of `resolver(kind, name)` once a name. */
#define NAMES 64
enum { R_FONT, R_STATE, R_XOBJECT };

typedef struct {
    int kind;
    const char *s;
    Py_ssize_t len;
    PyObject *value; /* owned */
} Named;

typedef struct {
    PyObject *resolver;
    int count;
    Named items[NAMES];
} Names;

/* Return what resource `op` of `kind` is (borrowed), or NULL: not a name, too many names, an error. */
static PyObject *resolve(Names *names, int kind, const Operand *op)
{
    if (op->type != T_NAME)
        return NULL;
    for (int i = 0; i < names->count; i++)
        if (names->items[i].kind == kind && names->items[i].len == op->len &&
            memcmp(names->items[i].s, op->s, (size_t)op->len) == 0)
            return names->items[i].value;
    if (names->count >= NAMES)
        return NULL;
    PyObject *value = PyObject_CallFunction(names->resolver, "iy#", kind, op->s, op->len);
    if (!value)
        return NULL;
    names->items[names->count++] = (Named){kind, op->s, op->len, value};
    return value;
}

static void forget(Names *names)
{
    for (int i = 0; i < names->count; i++)
        Py_DECREF(names->items[i].value);
    names->count = 0;
}

typedef struct Reader Reader;
struct Reader {
    Grid *grid;
    Names names; /* the page's */
    State saved[MAX_SAVED];
    int depth_saved;
};

static int read_doubles(PyObject *tuple, double *out, int n)
{
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) != n)
        return 0;
    for (int i = 0; i < n; i++) {
        out[i] = PyFloat_AsDouble(PyTuple_GET_ITEM(tuple, i));
        if (out[i] == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
    }
    return 1;
}

/* Glyphs a string operand of `bytes` shows in a font of `bpg` bytes a glyph. */
static double glyphs(Py_ssize_t bytes, int bpg)
{
    return (double)((bytes + bpg - 1) / bpg);
}

/* Mark what a text-showing operation may draw; move the pen interval. `items`: its string or array. */
static void show(Grid *g, State *gs, const double *tm, const Operand *item, double *pen_lo, double *pen_hi)
{
    if (!gs->has_font) {
        g->declined = 1;
        return;
    }
    const Font *f = &gs->font;
    double size = gs->size, th = gs->th;
    double a = (size * f->min_adv + gs->tc + MIN(gs->tw, 0.0)) * th;
    double b = (size * f->max_adv + gs->tc + MAX(gs->tw, 0.0)) * th;
    double step_lo = MIN(MIN(a, b), 0.0), step_hi = MAX(MAX(a, b), 0.0);
    double left = *pen_lo, right = *pen_hi;
    if (item->type == T_STR) {
        double n = glyphs(item->len, f->bpg);
        *pen_lo += n * step_lo;
        *pen_hi += n * step_hi;
        left = MIN(left, *pen_lo);
        right = MAX(right, *pen_hi);
    } else if (item->type == T_ARRAY) {
        const char *p = item->s, *end = item->s + item->len;
        while (p < end) {
            unsigned char c = (unsigned char)*p;
            Py_ssize_t bytes = -1;
            if (is_space(c)) {
                p++;
                continue;
            }
            if (c == '(') {
                const char *q = skip_string(p, end);
                if (!q) {
                    g->declined = 1;
                    return;
                }
                bytes = q - p - 2;
                p = q;
            } else if (c == '<') {
                Py_ssize_t digits = 0;
                p = skip_hex(p, end, &digits);
                if (!p) {
                    g->declined = 1;
                    return;
                }
                bytes = (digits + 1) / 2;
            } else {
                double v;
                const char *q = number(p, end, &v);
                if (!q) { /* a name or anything else in a TJ array: not ours to bound */
                    g->declined = 1;
                    return;
                }
                p = q;
                double shift = -v / 1000 * size * th;
                *pen_lo += shift;
                *pen_hi += shift;
            }
            if (bytes >= 0) {
                double n = glyphs(bytes, f->bpg);
                *pen_lo += n * step_lo;
                *pen_hi += n * step_hi;
            }
            left = MIN(left, *pen_lo);
            right = MAX(right, *pen_hi);
        }
    } else {
        g->declined = 1;
        return;
    }
    int tr = gs->tr;
    int fills = (tr == 0 || tr == 2 || tr == 4 || tr == 6) && !gs->fill_light;
    int strokes = (tr == 1 || tr == 2 || tr == 5 || tr == 6) && !gs->stroke_light;
    if (tr == 3 || tr == 7 || !(fills || strokes))
        return;
    double gx0 = MIN(size * th * f->x0, size * th * f->x1), gx1 = MAX(size * th * f->x0, size * th * f->x1);
    double gy0 = MIN(size * f->y0, size * f->y1) + gs->ts, gy1 = MAX(size * f->y0, size * f->y1) + gs->ts;
    double rendering[6];
    multiply(tm, gs->ctm, rendering);
    double grow = 0.0;
    if (tr == 1 || tr == 2 || tr == 5 || tr == 6)
        grow = gs->width * MAX(stretch(gs->ctm), stretch(rendering));
    mark(g, left + gx0, gy0, right + gx1, gy1, rendering, grow, 0);
}

static void run(Reader *rd, const char *data, Py_ssize_t size, Names *names, State gs, int depth);

static int set_font(State *gs, Names *names, const Operand *ops, int n)
{
    if (n != 2 || ops[1].type != T_NUM)
        return 0;
    PyObject *found = resolve(names, R_FONT, &ops[0]);
    if (!found || found == Py_None)
        return 0; /* a font that is not there, or one only a render bounds */
    double v[7];
    if (!read_doubles(found, v, 7) || !(v[6] >= 1 && v[6] <= 4))
        return 0;
    gs->font = (Font){v[0], v[1], v[2], v[3], v[4], v[5], (int)v[6]};
    gs->has_font = 1;
    gs->size = ops[1].num;
    return 1;
}

static int set_state(State *gs, Names *names, const Operand *ops, int n)
{
    if (n != 1)
        return 0;
    PyObject *found = resolve(names, R_STATE, &ops[0]);
    if (!found || !PyTuple_Check(found) || PyTuple_GET_SIZE(found) != 2)
        return 0; /* a blend mode, a transfer function, a font: only a render bounds them */
    PyObject *width = PyTuple_GET_ITEM(found, 0), *miter = PyTuple_GET_ITEM(found, 1);
    double w = width == Py_None ? gs->width : PyFloat_AsDouble(width);
    if (w == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    double ml = miter == Py_None ? gs->miter : PyFloat_AsDouble(miter);
    if (ml == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    gs->width = fabs(w);
    gs->miter = fmax(1.0, ml);
    return 1;
}

/* Mark a picture's place, or follow a form's content. */
static void place(Reader *rd, State *gs, Names *names, const Operand *ops, int n, int depth)
{
    Grid *g = rd->grid;
    PyObject *found = n == 1 ? resolve(names, R_XOBJECT, &ops[0]) : NULL;
    if (!found) {
        g->declined = 1;
        return;
    }
    if (PyTuple_Check(found) && PyTuple_GET_SIZE(found) == 0)
        return; /* not a picture nor a form: nothing drawn */
    if (PyLong_Check(found)) {
        long kind = PyLong_AsLong(found);
        if (kind == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            g->declined = 1;
            return;
        }
        if (kind == 1 && gs->fill_light)
            return;
        mark(g, 0.0, 0.0, 1.0, 1.0, gs->ctm, 0.0, 1);
        return;
    }
    double matrix[6];
    if (!PyTuple_Check(found) || PyTuple_GET_SIZE(found) != 3 || !PyBytes_Check(PyTuple_GET_ITEM(found, 0)) ||
        !read_doubles(PyTuple_GET_ITEM(found, 1), matrix, 6)) {
        g->declined = 1; /* None: a form only a render bounds */
        return;
    }
    State inner = *gs;
    multiply(matrix, gs->ctm, inner.ctm);
    PyObject *content = PyTuple_GET_ITEM(found, 0), *own = PyTuple_GET_ITEM(found, 2);
    if (own == Py_None) { /* a form without resources of its own draws with its page's */
        run(rd, PyBytes_AS_STRING(content), PyBytes_GET_SIZE(content), names, inner, depth + 1);
        return;
    }
    Names *inside = PyMem_Malloc(sizeof(Names));
    if (!inside) {
        g->declined = 1;
        return;
    }
    inside->resolver = own;
    inside->count = 0;
    run(rd, PyBytes_AS_STRING(content), PyBytes_GET_SIZE(content), inside, inner, depth + 1);
    forget(inside);
    PyMem_Free(inside);
}

/* The path being built: its extent in the space it is drawn in, and whether it joins segments. */
typedef struct {
    double box[4];
    int has, joins;
} Path;

static int add_points(Path *path, const Operand *ops, int n, int want, int rect, int moves)
{
    double v[6];
    if (!number_operands(ops, n, want, v))
        return 0;
    if (rect) {
        v[2] += v[0];
        v[3] += v[1];
    }
    path->joins = path->joins || (path->has && !moves);
    for (int i = 0; i < want; i += 2) {
        if (!path->has) {
            path->box[0] = path->box[2] = v[i];
            path->box[1] = path->box[3] = v[i + 1];
            path->has = 1;
        } else {
            path->box[0] = MIN(path->box[0], v[i]);
            path->box[1] = MIN(path->box[1], v[i + 1]);
            path->box[2] = MAX(path->box[2], v[i]);
            path->box[3] = MAX(path->box[3], v[i + 1]);
        }
    }
    return 1;
}

/* Mark a painted path's extent, strokes widened by their half width and joins. */
static void paint(Grid *g, const State *gs, Path *path, int fills, int strokes)
{
    if (path->has) {
        fills = fills && !gs->fill_light;
        strokes = strokes && !gs->stroke_light;
        double grow = 0.0;
        if (strokes)
            grow = gs->width / 2 * (path->joins ? gs->miter : sqrt(2.0)) * stretch(gs->ctm);
        if (fills || strokes)
            mark(g, path->box[0], path->box[1], path->box[2], path->box[3], gs->ctm, grow, fills);
    }
    path->has = path->joins = 0;
}

/* The text line: its matrix, and the interval the pen may be at along it. */
typedef struct {
    double tm[6], lo, hi;
} Line;

static void next_line(Line *line, const State *gs)
{
    line->tm[4] -= gs->tl * line->tm[2];
    line->tm[5] -= gs->tl * line->tm[3];
    line->lo = line->hi = 0;
}

#define IS(name) (len == (Py_ssize_t)sizeof(name) - 1 && memcmp(op, name, sizeof(name) - 1) == 0)

/* Apply one operator and its operands; return 0 to decline the page. */
static int operate(Reader *rd, const char *op, Py_ssize_t len, const Operand *ops, int n, State *gs, Line *line,
                   Path *path, Names *names, int depth)
{
    Grid *g = rd->grid;
    double v[6];
    switch (op[0]) {
    case 'T':
        if (IS("Tj") || IS("TJ")) {
            if (n < 1)
                return 0;
            show(g, gs, line->tm, &ops[n - 1], &line->lo, &line->hi);
        } else if (IS("Td") || IS("TD")) {
            if (!number_operands(ops, n, 2, v))
                return 0;
            if (IS("TD"))
                gs->tl = -v[1];
            double x = v[0] * line->tm[0] + v[1] * line->tm[2] + line->tm[4];
            double y = v[0] * line->tm[1] + v[1] * line->tm[3] + line->tm[5];
            line->tm[4] = x;
            line->tm[5] = y;
            line->lo = line->hi = 0;
        } else if (IS("Tm")) {
            if (!number_operands(ops, n, 6, line->tm))
                return 0;
            line->lo = line->hi = 0;
        } else if (IS("T*")) {
            next_line(line, gs);
        } else if (IS("Tf")) {
            return set_font(gs, names, ops, n);
        } else if (len == 2) {
            if (!number_operands(ops, n, 1, v))
                return op[1] != 'L' && op[1] != 'c' && op[1] != 'w' && op[1] != 'z' && op[1] != 's' && op[1] != 'r';
            switch (op[1]) {
            case 'L': gs->tl = v[0]; break;
            case 'c': gs->tc = v[0]; break;
            case 'w': gs->tw = v[0]; break;
            case 'z': gs->th = v[0] / 100; break;
            case 's': gs->ts = v[0]; break;
            case 'r':
                if (v[0] > -1 && v[0] < 8) /* as PDFium: a mode out of 0..7 leaves the mode as it was */
                    gs->tr = (int)v[0];
                break;
            }
        }
        return 1;
    case '\'':
    case '"':
        if (len != 1 || n < 1)
            return len != 1;
        if (op[0] == '"') {
            if (n != 3 || !number_operands(ops, 2, 2, v))
                return 0;
            gs->tw = v[0];
            gs->tc = v[1];
        }
        next_line(line, gs);
        show(g, gs, line->tm, &ops[n - 1], &line->lo, &line->hi);
        return 1;
    case 'B':
        if (IS("BT")) {
            double identity[6] = {1, 0, 0, 1, 0, 0};
            memcpy(line->tm, identity, sizeof identity);
            line->lo = line->hi = 0;
        } else if (IS("BI")) {
            return 0; /* an inline picture: measured by rendering */
        } else if (IS("B") || IS("B*")) {
            paint(g, gs, path, 1, 1);
        }
        return 1;
    case 'b':
        if (IS("b") || IS("b*"))
            paint(g, gs, path, 1, 1);
        return 1;
    case 'f':
    case 'F':
        if (IS("f") || IS("F") || IS("f*"))
            paint(g, gs, path, 1, 0);
        return 1;
    case 'S':
    case 's':
        if (IS("S") || IS("s"))
            paint(g, gs, path, 0, 1);
        else if (IS("sh"))
            return 0; /* a shading: measured by rendering */
        else if (IS("sc") || IS("scn"))
            gs->fill_light = light(gs->fill_space, ops, n);
        else if (IS("SC") || IS("SCN"))
            gs->stroke_light = light(gs->stroke_space, ops, n);
        return 1;
    case 'n':
        if (IS("n"))
            path->has = path->joins = 0;
        return 1;
    case 'm':
        return !IS("m") || add_points(path, ops, n, 2, 0, 1);
    case 'l':
        return !IS("l") || add_points(path, ops, n, 2, 0, 0);
    case 'c':
        if (IS("c"))
            return add_points(path, ops, n, 6, 0, 0);
        if (IS("cm")) {
            if (!number_operands(ops, n, 6, v))
                return 0;
            multiply(v, gs->ctm, gs->ctm);
        } else if (IS("cs")) {
            gs->fill_light = 0;
            gs->fill_space = n == 1 ? space_of(&ops[0]) : SP_OTHER;
        }
        return 1;
    case 'C':
        if (IS("CS")) {
            gs->stroke_light = 0;
            gs->stroke_space = n == 1 ? space_of(&ops[0]) : SP_OTHER;
        }
        return 1;
    case 'v':
        return !IS("v") || add_points(path, ops, n, 4, 0, 0);
    case 'y':
        return !IS("y") || add_points(path, ops, n, 4, 0, 0);
    case 'r':
        if (IS("re"))
            return add_points(path, ops, n, 4, 1, 0);
        if (IS("rg")) {
            gs->fill_light = light(SP_RGB, ops, n);
            gs->fill_space = SP_OTHER;
        }
        return 1;
    case 'R':
        if (IS("RG")) {
            gs->stroke_light = light(SP_RGB, ops, n);
            gs->stroke_space = SP_OTHER;
        }
        return 1;
    case 'g':
        if (IS("g")) {
            gs->fill_light = light(SP_GRAY, ops, n);
            gs->fill_space = SP_OTHER;
        } else if (IS("gs")) {
            return set_state(gs, names, ops, n);
        }
        return 1;
    case 'G':
        if (IS("G")) {
            gs->stroke_light = light(SP_GRAY, ops, n);
            gs->stroke_space = SP_OTHER;
        }
        return 1;
    case 'k':
        if (IS("k")) {
            gs->fill_light = light(SP_CMYK, ops, n);
            gs->fill_space = SP_OTHER;
        }
        return 1;
    case 'K':
        if (IS("K")) {
            gs->stroke_light = light(SP_CMYK, ops, n);
            gs->stroke_space = SP_OTHER;
        }
        return 1;
    case 'w':
        if (IS("w")) {
            if (!number_operands(ops, n, 1, v))
                return 0;
            gs->width = fabs(v[0]);
        }
        return 1;
    case 'M':
        if (IS("M")) {
            if (!number_operands(ops, n, 1, v))
                return 0;
            gs->miter = fmax(1.0, v[0]);
        }
        return 1;
    case 'D':
        if (IS("Do"))
            place(rd, gs, names, ops, n, depth);
        return 1;
    case 'I':
    case 'E':
    case 'd':
        /* ID, EI: an inline picture; d0, d1: a Type 3 glyph's procedure */
        return !(IS("ID") || IS("EI") || IS("d0") || IS("d1"));
    }
    /* Anything else (closing a path, clipping, marked content, dashes, joins, caps, intents,
     * compatibility sections, unknown operators) changes no ink's extent. */
    return 1;
}

/* Follow a content stream from graphics state `gs`, its resources named by `names`. */
static void run(Reader *rd, const char *data, Py_ssize_t size, Names *names, State gs, int depth)
{
    Grid *g = rd->grid;
    if (depth > MAX_DEPTH) {
        g->declined = 1;
        return;
    }
    int saved_base = rd->depth_saved;
    Operand ops[MAX_OPERANDS];
    int n = 0, overflow = 0;
    Line line = {{1, 0, 0, 1, 0, 0}, 0, 0};
    Path path = {{0, 0, 0, 0}, 0, 0};
    const char *p = data, *end = data + size;
    while (p < end && !g->declined) {
        unsigned char c = (unsigned char)*p;
        if (is_space(c)) {
            p++;
            continue;
        }
        if (c == '%') {
            while (p < end && *p != '\n' && *p != '\r')
                p++;
            continue;
        }
        Operand scratch, *o = n < MAX_OPERANDS ? &ops[n] : &scratch;
        const char *q = NULL;
        if (c == '(') {
            q = skip_string(p, end);
            if (q)
                *o = (Operand){T_STR, 0, p, q - p - 2};
        } else if (c == '<' && p + 1 < end && p[1] == '<') {
            q = skip_dict(p, end);
            *o = (Operand){T_OTHER, 0, p, 0};
        } else if (c == '<') {
            Py_ssize_t digits = 0;
            q = skip_hex(p, end, &digits);
            *o = (Operand){T_STR, 0, p, (digits + 1) / 2};
        } else if (c == '[') {
            q = skip_array(p, end);
            if (q)
                *o = (Operand){T_ARRAY, 0, p + 1, q - p - 2};
        } else if (c == '/') {
            q = p + 1;
            while (q < end && !ends_token((unsigned char)*q))
                q++;
            *o = (Operand){T_NAME, 0, p + 1, q - p - 1};
        } else if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
            double v;
            q = number(p, end, &v);
            *o = (Operand){T_NUM, v, p, 0};
        } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '\'' || c == '"') {
            q = p;
            while (q < end && !ends_token((unsigned char)*q))
                q++;
            const char *op = p;
            Py_ssize_t len = q - p;
            p = q;
            if (IS("true") || IS("false") || IS("null")) {
                *o = (Operand){T_OTHER, 0, op, 0};
                n += o != &scratch;
                overflow |= o == &scratch;
                continue;
            }
            if (IS("q")) {
                if (rd->depth_saved >= MAX_SAVED)
                    g->declined = 1;
                else
                    rd->saved[rd->depth_saved++] = gs;
            } else if (IS("Q")) {
                if (rd->depth_saved > saved_base)
                    gs = rd->saved[--rd->depth_saved];
            } else if (overflow || !operate(rd, op, len, ops, n, &gs, &line, &path, names, depth)) {
                g->declined = 1;
            }
            n = 0;
            overflow = 0;
            continue;
        } else {
            g->declined = 1; /* content that does not parse */
            break;
        }
        if (!q) {
            g->declined = 1;
            break;
        }
        p = q;
        n += o != &scratch;
        overflow |= o == &scratch;
    }
    rd->depth_saved = saved_base;
}

/* Grow the foot's cells as a render's are (each inked cell inks its eight neighbours; the row
 * above the foot is ink) and pack them as np.packbits does. Rows with no ink near them are skipped. */
static PyObject *packed(const Grid *g)
{
    int rows = g->foot, cols = g->cols;
    Py_ssize_t cells = (Py_ssize_t)rows * cols;
    unsigned char *wide = calloc((size_t)cells + (size_t)cols, 1), *any = calloc((size_t)rows, 1);
    PyObject *result = PyBytes_FromStringAndSize(NULL, (cells + 7) / 8);
    if (!wide || !any || !result) {
        free(wide);
        free(any);
        Py_XDECREF(result);
        return PyErr_NoMemory();
    }
    unsigned char *grown = wide + cells; /* one row: a row's grown cells */
    for (int r = 0; r < rows; r++) {
        const unsigned char *row = g->cells + (Py_ssize_t)r * cols;
        if (!memchr(row, 1, (size_t)cols))
            continue;
        any[r] = 1;
        unsigned char *out = wide + (Py_ssize_t)r * cols;
        for (int c = 0; c < cols; c++)
            out[c] = row[c] | (c > 0 ? row[c - 1] : 0) | (c + 1 < cols ? row[c + 1] : 0);
    }
    unsigned char *bits = (unsigned char *)PyBytes_AS_STRING(result);
    memset(bits, 0, (size_t)((cells + 7) / 8));
    for (int r = 0; r < rows; r++) {
        int top = r == rows - 1;
        if (!top && !any[r] && !(r > 0 && any[r - 1]) && !(r + 1 < rows && any[r + 1]))
            continue;
        const unsigned char *here = wide + (Py_ssize_t)r * cols;
        const unsigned char *below = r > 0 ? here - cols : NULL, *above = r + 1 < rows ? here + cols : NULL;
        for (int c = 0; c < cols; c++)
            grown[c] = top | here[c] | (below ? below[c] : 0) | (above ? above[c] : 0);
        Py_ssize_t at = (Py_ssize_t)r * cols;
        for (int c = 0; c < cols; c++, at++)
            if (grown[c])
                bits[at >> 3] |= (unsigned char)(0x80 >> (at & 7));
    }
    free(wide);
    free(any);
    return result;
}

/* Decode ASCII85 (a content stream's armour) up to its '~>'; raise ValueError on a stray character. */
static PyObject *a85(PyObject *self, PyObject *args)
{
    Py_buffer in;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*", &in))
        return NULL;
    const unsigned char *p = in.buf, *end = p + in.len;
    while (p < end && is_space(*p))
        p++;
    if (end - p >= 2 && p[0] == '<' && p[1] == '~') /* the prefix some producers write */
        p += 2;
    PyObject *result = PyBytes_FromStringAndSize(NULL, in.len / 5 * 4 + 8 + (in.len * 4)); /* 'z' makes 4 */
    if (!result) {
        PyBuffer_Release(&in);
        return NULL;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result), *o = out;
    uint64_t group = 0;
    int count = 0, bad = 0;
    for (; p < end; p++) {
        unsigned char c = *p;
        if (is_space(c))
            continue;
        if (c == '~')
            break;
        if (c == 'z' && count == 0) {
            memset(o, 0, 4);
            o += 4;
            continue;
        }
        if (c < '!' || c > 'u') {
            bad = 1;
            break;
        }
        group = group * 85 + (c - '!');
        if (++count == 5) {
            if (group > 0xFFFFFFFFu) {
                bad = 1;
                break;
            }
            o[0] = (unsigned char)(group >> 24);
            o[1] = (unsigned char)(group >> 16);
            o[2] = (unsigned char)(group >> 8);
            o[3] = (unsigned char)group;
            o += 4;
            group = 0;
            count = 0;
        }
    }
    if (!bad && count == 1)
        bad = 1;
    if (!bad && count > 1) {
        for (int i = count; i < 5; i++)
            group = group * 85 + 84;
        bad = group > 0xFFFFFFFFu;
        for (int i = 0; i < count - 1 && !bad; i++)
            *o++ = (unsigned char)(group >> (24 - 8 * i));
    }
    PyBuffer_Release(&in);
    if (bad) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_ValueError, "not ASCII85");
        return NULL;
    }
    if (_PyBytes_Resize(&result, o - out) < 0)
        return NULL;
    return result;
}

static PyObject *foot(PyObject *self, PyObject *args)
{
    Py_buffer data;
    PyObject *resolver, *start, *annots;
    double width, height;
    int rows, cols, foot_rows;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*OOddiiiO", &data, &resolver, &start, &width, &height, &rows, &cols,
                          &foot_rows, &annots))
        return NULL;
    State gs;
    memset(&gs, 0, sizeof gs);
    if (rows < foot_rows || cols < 1 || foot_rows < 1 || !(width > 0) || !(height > 0) ||
        !read_doubles(start, gs.ctm, 6) || !PyList_Check(annots)) {
        PyBuffer_Release(&data);
        PyErr_SetString(PyExc_ValueError, "foot: a page's grid, start matrix or annotations out of range");
        return NULL;
    }
    gs.width = 1.0;
    gs.miter = 10.0;
    gs.th = 1.0;
    Grid g = {width, height, width / cols, height / rows, LARGE * width * height, cols, foot_rows, NULL, 0};
    g.cells = calloc((size_t)foot_rows * cols, 1);
    Reader *rd = malloc(sizeof(Reader));
    if (!g.cells || !rd) {
        free(g.cells);
        free(rd);
        PyBuffer_Release(&data);
        return PyErr_NoMemory();
    }
    rd->grid = &g;
    rd->depth_saved = 0;
    rd->names.resolver = resolver;
    rd->names.count = 0;
    run(rd, data.buf, data.len, &rd->names, gs, 0);
    forget(&rd->names);
    PyBuffer_Release(&data);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(annots) && !g.declined; i++) {
        double r[4];
        PyObject *rect = Py_NewRef(PyList_GET_ITEM(annots, i)); /* a __float__ may empty the list */
        int ok = read_doubles(rect, r, 4);
        Py_DECREF(rect);
        if (!ok)
            g.declined = 1;
        else
            mark(&g, fmin(r[0], r[2]), fmin(r[1], r[3]), fmax(r[0], r[2]), fmax(r[1], r[3]), gs.ctm, 0.0, 1);
    }
    free(rd);
    PyObject *result;
    if (PyErr_Occurred()) {
        result = NULL;
    } else if (g.declined) {
        result = Py_NewRef(Py_None);
    } else {
        result = packed(&g);
    }
    free(g.cells);
    return result;
}

/* PCG64 as NumPy's default_rng steps it: `watermark.marks.pcg` draws the stamp's hidden codes'
 * layouts with it (6,000 to 8,000 words a stamp: 8 ms in Python, 0.1 ms here).
 *
 * pcg64(state, increment, count) -> (words, state)
 *   state, increment  16 bytes each, little-endian (the 128-bit LCG's state and odd increment)
 *   Returns `count` 64-bit words (native byte order, as memoryview.cast("Q") reads them), each the
 *   XSL-RR output of the state stepped once more, and the state after the last.
 * Only where the compiler has 128-bit integers (GCC, Clang); elsewhere Python draws the words.
 */
#ifdef __SIZEOF_INT128__
static PyObject *pcg64(PyObject *self, PyObject *args)
{
    Py_buffer state_in, increment_in;
    Py_ssize_t count;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*n", &state_in, &increment_in, &count))
        return NULL;
    PyObject *result = NULL;
    if (state_in.len != 16 || increment_in.len != 16 || count < 0 || count > PY_SSIZE_T_MAX / 8) {
        PyErr_SetString(PyExc_ValueError, "pcg64 takes a 16-byte state and increment and a count >= 0");
        goto done;
    }
    const unsigned char *sb = state_in.buf, *ib = increment_in.buf;
    __uint128_t state = 0, increment = 0;
    for (int i = 15; i >= 0; i--) {
        state = state << 8 | sb[i];
        increment = increment << 8 | ib[i];
    }
    const __uint128_t multiplier = ((__uint128_t)0x2360ED051FC65DA4ULL << 64) | 0x4385DF649FCCF645ULL;
    PyObject *words = PyBytes_FromStringAndSize(NULL, count * 8);
    if (!words)
        goto done;
    uint64_t *out = (uint64_t *)PyBytes_AS_STRING(words);
    for (Py_ssize_t n = 0; n < count; n++) {
        state = state * multiplier + increment;
        uint64_t folded = (uint64_t)(state >> 64) ^ (uint64_t)state;
        unsigned turn = (unsigned)(state >> 122);
        out[n] = (folded >> turn) | (folded << ((64 - turn) & 63));
    }
    unsigned char after[16];
    for (int i = 0; i < 16; i++) {
        after[i] = (unsigned char)(state & 0xFF);
        state >>= 8;
    }
    result = Py_BuildValue("(Ny#)", words, (const char *)after, (Py_ssize_t)16);
done:
    PyBuffer_Release(&state_in);
    PyBuffer_Release(&increment_in);
    return result;
}
#endif

static PyMethodDef methods[] = {
    {"foot", foot, METH_VARARGS, "foot(data, resources, start, width, height, rows, cols, foot, annots)"},
    {"a85", a85, METH_VARARGS, "a85(data): ASCII85 decoded, to its '~>'"},
#ifdef __SIZEOF_INT128__
    {"pcg64", pcg64, METH_VARARGS, "pcg64(state, increment, count): PCG64 words and the state after"},
#endif
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_footscan",
    .m_doc = "A page's foot ink bounded from its content.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__footscan(void)
{
    fill_classes();
    return PyModule_Create(&module);
}
