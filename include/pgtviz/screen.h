/*
 * pgtviz screen presenter (screen.c): puts a rasterized ARGB8888 surface on
 * an SDL renderer, uploading only what changed since the last frame.
 *
 * The window and `pgtviz bench` present through it, so the bench measures
 * the window's path.  It keeps a copy of what the texture holds; each frame
 * compares the surface with it row by row and uploads only the changed
 * spans of the changed rows (a few rectangles).  On SDL's software
 * renderer, whose target (the window surface) keeps its pixels from frame
 * to frame, it also copies only those rectangles and presents nothing when
 * nothing changed; an accelerated renderer's back buffer is undefined
 * after a present, so there the whole texture is drawn every frame (the
 * GPU's job) and only the upload shrinks.  What reaches the screen is the
 * surface's pixels either way (the surface is opaque; the texture copies
 * without blending).
 */
#ifndef PGTVIZ_SCREEN_H
#define PGTVIZ_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct SDL_Renderer;
struct SDL_Texture;
struct SDL_Surface;
struct SDL_Window;

/* The window's renderer (docs/window.md, "Renderer"): the first
 * accelerated renderer SDL offers, with vsync if asked and available, else
 * SDL's software renderer (drawing into the video driver's own framebuffer
 * unless SDL_FRAMEBUFFER_ACCELERATION is set).  An OpenGL renderer whose GL
 * rasterizes on the CPU (llvmpipe, softpipe, SwiftShader) does not count as
 * accelerated.  SDL_RENDER_DRIVER still picks one by name.  NULL if none
 * can be made (SDL_GetError() says why).  `pgtviz bench` makes the same
 * choice to say what the window would use. */
struct SDL_Renderer *pgt_window_renderer(struct SDL_Window *win, bool vsync);
/* GL_RENDERER of an OpenGL renderer's context (a GPU's name, or
 * "llvmpipe (...)"), "" for other renderers. */
void pgt_renderer_gl_name(struct SDL_Renderer *ren, char *buf, size_t size);
/* Whether SDL says the renderer is accelerated. */
bool pgt_renderer_accelerated(struct SDL_Renderer *ren);

#define PGT_SCREEN_MAX_RECTS 16 /* changed rectangles per frame, then merged */

typedef struct pgt_screen {
	struct SDL_Renderer *ren; /* not owned */
	struct SDL_Texture *tex;  /* owned: streaming ARGB8888, w x h */
	uint32_t *shadow;         /* owned: the pixels tex holds, w x h, to compare with */
	int w, h;                 /* texture and surface size */
	bool retains;             /* the renderer's target keeps its pixels (software) */
	bool valid;               /* tex, shadow and the target hold the last frame */
	uint64_t frames;          /* frames presented */
	uint64_t px_uploaded;     /* pixels uploaded over those frames */
} pgt_screen;

/* Creates the texture and the shadow for a w x h surface on ren.  false on
 * error (SDL_GetError() says why); close it either way. */
bool pgt_screen_open(pgt_screen *sc, struct SDL_Renderer *ren, int w, int h);
void pgt_screen_close(pgt_screen *sc);
/* The target lost its pixels (the window was exposed or resized): the
 * next frame is uploaded and drawn whole. */
void pgt_screen_invalidate(pgt_screen *sc);
/* Presents surf (w x h, ARGB8888).  Returns the number of pixels uploaded. */
size_t pgt_screen_present(pgt_screen *sc, const struct SDL_Surface *surf);
/* Name of the SDL renderer ("software", "opengl", ...). */
const char *pgt_screen_renderer(const pgt_screen *sc);

#ifdef __cplusplus
}
#endif

#endif
