/* C helpers for package leptonica: each runs one Leptonica operation in
 * one cgo call, so the messages Leptonica writes (caught in a per-thread
 * buffer) can be handed back with the result. */
#ifndef SOHOA_LEPT_H
#define SOHOA_LEPT_H

#include <stdint.h>
#include <allheaders.h>

enum { SOHOA_TIFF = 0, SOHOA_JP2 = 1, SOHOA_OTHER = 2 };
enum { SOHOA_OK = 0, SOHOA_NOFILE = 1, SOHOA_BADHEADER = 2, SOHOA_TOOBIG = 3, SOHOA_BADDATA = 4, SOHOA_MISMATCH = 5 };
enum { SOHOA_GRAY8 = 0, SOHOA_RGBA = 1, SOHOA_GRAY16 = 2, SOHOA_INDEX = 3 };

void sohoa_init(void);
PIX *sohoa_read(const char *path, int kind, int page, int64_t maxpixels, int wantw, int wanth,
                int *status, int *w, int *h, char *msg, int msglen);
int sohoa_copy(PIX *pix, uint8_t *dst, int stride, int mode, int invert);
int sohoa_write_tiff(const char *path, PIX *pix, int comptype, const char *mode, char *msg, int msglen);
int sohoa_write_jp2(const char *path, PIX *pix, int quality, char *msg, int msglen);
int sohoa_fill(PIX *pix, const uint8_t *src, int stride, int mode);

#endif
