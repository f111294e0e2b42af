/*
 * Colour arithmetic for the legibility tests (test_ui_contrast.c,
 * test_ui_legible.c): WCAG 2.x relative luminance and contrast ratio,
 * alpha compositing, colour-vision-deficiency simulation and CIELAB
 * distance.  Header-only, test code.
 *
 * References:
 *   WCAG 2.1, "relative luminance" and "contrast ratio" definitions
 *   (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance): sRGB channels
 *   linearised, L = 0.2126 R + 0.7152 G + 0.0722 B, ratio (L1 + 0.05) /
 *   (L2 + 0.05).  Text needs 4.5:1 (SC 1.4.3), graphical objects 3:1
 *   (SC 1.4.11).
 *   G. M. Machado, M. M. Oliveira, L. A. F. Fernandes, "A Physiologically-
 *   based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6),
 *   2009: the severity-1.0 matrices for deuteranopia and protanopia, applied
 *   to linear RGB.
 *   CIELAB (CIE 1976) with the D65 white point, distance CIE76 (Euclidean).
 */
#ifndef PGTVIZ_TEST_COLOUR_H
#define PGTVIZ_TEST_COLOUR_H

#include <math.h>
#include <stdint.h>

/* One sRGB channel (0..255) to linear light (0..1). */
static inline double col_lin(unsigned v)
{
	double c = (double)v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG relative luminance of 0xAARRGGBB (alpha ignored). */
static inline double col_lum(uint32_t c)
{
	return 0.2126 * col_lin((c >> 16) & 0xff) + 0.7152 * col_lin((c >> 8) & 0xff) +
	       0.0722 * col_lin(c & 0xff);
}

/* WCAG contrast ratio, 1..21. */
static inline double col_contrast(uint32_t a, uint32_t b)
{
	double la = col_lum(a), lb = col_lum(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* top (with its alpha) painted over an opaque under; result opaque. */
static inline uint32_t col_over(uint32_t top, uint32_t under)
{
	unsigned a = top >> 24;
	uint32_t r = 0xff000000u;
	for (int sh = 0; sh <= 16; sh += 8) {
		unsigned t = (top >> sh) & 0xff, u = (under >> sh) & 0xff;
		r |= (uint32_t)((t * a + u * (255 - a) + 127) / 255) << sh;
	}
	return r;
}

/* Machado et al. 2009, severity 1.0, on linear RGB. */
static const double col_deuteranopia[3][3] = {{0.367322, 0.860646, -0.227968},
                                              {0.280085, 0.672501, 0.047413},
                                              {-0.011820, 0.042940, 0.968881}};
static const double col_protanopia[3][3] = {{0.152286, 1.052583, -0.204868},
                                            {0.114503, 0.786281, 0.099216},
                                            {-0.003882, -0.048116, 1.051998}};

/* CIELAB of linear RGB (D65). */
static inline void col_lab(const double rgb[3], double lab[3])
{
	double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
	double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
	double z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
	double f[3], v[3] = {x, y, z};
	for (int i = 0; i < 3; i++)
		f[i] = v[i] > 0.008856 ? cbrt(v[i]) : 7.787 * v[i] + 16.0 / 116.0;
	lab[0] = 116.0 * f[1] - 16.0;
	lab[1] = 500.0 * (f[0] - f[1]);
	lab[2] = 200.0 * (f[1] - f[2]);
}

/* CIELAB of colour c as seen through matrix m (NULL: normal vision). */
static inline void col_seen(uint32_t c, const double (*m)[3], double lab[3])
{
	double v[3] = {col_lin((c >> 16) & 0xff), col_lin((c >> 8) & 0xff), col_lin(c & 0xff)};
	double s[3];
	for (int i = 0; i < 3; i++) {
		s[i] = m ? m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2] : v[i];
		s[i] = s[i] < 0 ? 0 : s[i] > 1 ? 1 : s[i];
	}
	col_lab(s, lab);
}

/* CIE76 distance between a and b as seen through m. */
static inline double col_delta_e(uint32_t a, uint32_t b, const double (*m)[3])
{
	double la[3], lb[3];
	col_seen(a, m, la);
	col_seen(b, m, lb);
	return sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) +
	            (la[2] - lb[2]) * (la[2] - lb[2]));
}

#endif
