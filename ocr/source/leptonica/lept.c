#include <stdio.h>
#include <string.h>
#include "lept.h"

/* Leptonica reports through lept_stderr(); the handler keeps the text of
 * the current call, per thread (a cgo call runs on one thread). */
static __thread char msgbuf[1024];
static __thread size_t msgused;

static void handler(const char *msg) {
    size_t n = strlen(msg);
    if (msgused + n > sizeof msgbuf - 1)
        n = sizeof msgbuf - 1 - msgused;
    memcpy(msgbuf + msgused, msg, n);
    msgused += n;
    msgbuf[msgused] = 0;
}

static void reset(void) {
    msgused = 0;
    msgbuf[0] = 0;
}

static void take(char *out, int outlen) {
    if (outlen > 0)
        snprintf(out, outlen, "%s", msgbuf);
    reset();
}

void sohoa_init(void) {
    leptSetStderrHandler(handler);
    setLeptDebugOK(0);
}

/* sohoa_read reads the header of page `page` (TIFF) or of the image, checks
 * it against maxpixels and (when wantw > 0) the size the caller expects,
 * and only then decodes. */
PIX *sohoa_read(const char *path, int kind, int page, int64_t maxpixels, int wantw, int wanth,
                int *status, int *w, int *h, char *msg, int msglen) {
    int bps = 0, spp = 0, res = 0, cmap = 0, format = 0, codec = 0;
    PIX *pix = NULL;
    FILE *fp;

    reset();
    *w = *h = 0;
    fp = fopen(path, "rb");
    if (!fp) {
        *status = SOHOA_NOFILE;
        take(msg, msglen);
        return NULL;
    }
    int bad;
    switch (kind) {
    case SOHOA_TIFF:
        bad = freadHeaderTiff(fp, page, w, h, &bps, &spp, &res, &cmap, &format);
        break;
    case SOHOA_JP2:
        bad = freadHeaderJp2k(fp, w, h, &bps, &spp, &codec);
        break;
    default:
        fclose(fp);
        fp = NULL;
        bad = pixReadHeader(path, &format, w, h, &bps, &spp, &cmap);
        break;
    }
    if (bad || *w <= 0 || *h <= 0) {
        *status = SOHOA_BADHEADER;
    } else if ((int64_t)*w * (int64_t)*h > maxpixels) {
        *status = SOHOA_TOOBIG;
    } else if (wantw > 0 && !((*w == wantw && *h == wanth) || (*w == wanth && *h == wantw))) {
        *status = SOHOA_MISMATCH;
    } else {
        switch (kind) {
        case SOHOA_TIFF:
            pix = pixReadStreamTiff(fp, page);
            break;
        case SOHOA_JP2:
            pix = pixReadStreamJp2k(fp, 1, NULL, 0, 0);
            break;
        default:
            pix = pixRead(path);
            break;
        }
        *status = pix ? SOHOA_OK : SOHOA_BADDATA;
        if (pix) {
            *w = pixGetWidth(pix);
            *h = pixGetHeight(pix);
        }
    }
    if (fp)
        fclose(fp);
    take(msg, msglen);
    return pix;
}

static inline uint8_t luma(uint32_t r, uint32_t g, uint32_t b) {
    uint32_t v = (19595 * r + 38470 * g + 7471 * b + (1 << 15)) >> 16;
    return v > 255 ? 255 : (uint8_t)v;
}

/* over_white composites a colour value with alpha a on white. */
static inline uint32_t over_white(uint32_t v, uint32_t a) {
    return (v * a + 255 * (255 - a) + 127) / 255;
}

/* sohoa_copy converts pix into dst (rows of stride bytes): SOHOA_GRAY8 one
 * byte per pixel (any depth; colour by Rec. 601 luma, a colormap through
 * its colours), SOHOA_RGBA four bytes (32 bpp), SOHOA_GRAY16 two bytes big
 * endian (16 bpp), SOHOA_INDEX one byte colormap index (colormapped pix).
 * Leptonica's conventions: 1 bpp has 1 = black; 32 bpp words are
 * 0xRRGGBBAA; samples are packed MSB first in 32-bit words (wpl per row).
 * invert inverts grey values (a min-is-white page Leptonica left as is).
 * Alpha is composited on white. Returns 0 on success. */
int sohoa_copy(PIX *pix, uint8_t *dst, int stride, int mode, int invert) {
    int w = pixGetWidth(pix), h = pixGetHeight(pix), d = pixGetDepth(pix);
    int wpl = pixGetWpl(pix), spp = pixGetSpp(pix);
    l_uint32 *data = pixGetData(pix);
    PIXCMAP *cmap = pixGetColormap(pix);
    uint8_t lut[256];
    int i, x, y;

    if (cmap && mode == SOHOA_GRAY8) {
        int n = pixcmapGetCount(cmap);
        for (i = 0; i < 256; i++) {
            l_int32 r = 255, g = 255, b = 255;
            if (i < n)
                pixcmapGetColor(cmap, i, &r, &g, &b);
            lut[i] = luma(r, g, b);
        }
    } else if (d <= 8) {
        int max = (1 << d) - 1;
        for (i = 0; i <= max; i++) {
            int v = (d == 1) ? (i ? 0 : 255) : i * 255 / max;
            lut[i] = invert ? 255 - v : v;
        }
    }
    for (y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        uint8_t *row = dst + (size_t)y * stride;
        switch (d) {
        case 1:
            for (x = 0; x < w; x++) {
                int v = GET_DATA_BIT(line, x);
                row[x] = (mode == SOHOA_INDEX) ? v : lut[v];
            }
            break;
        case 2:
            for (x = 0; x < w; x++) {
                int v = GET_DATA_DIBIT(line, x);
                row[x] = (mode == SOHOA_INDEX) ? v : lut[v];
            }
            break;
        case 4:
            for (x = 0; x < w; x++) {
                int v = GET_DATA_QBIT(line, x);
                row[x] = (mode == SOHOA_INDEX) ? v : lut[v];
            }
            break;
        case 8:
            for (x = 0; x < w; x++) {
                int v = GET_DATA_BYTE(line, x);
                row[x] = (mode == SOHOA_INDEX) ? v : lut[v];
            }
            break;
        case 16:
            for (x = 0; x < w; x++) {
                uint32_t v = GET_DATA_TWO_BYTES(line, x);
                if (invert)
                    v = 0xffff - v;
                if (mode == SOHOA_GRAY16) {
                    row[2 * x] = v >> 8;
                    row[2 * x + 1] = v & 0xff;
                } else {
                    row[x] = v >> 8;
                }
            }
            break;
        case 32:
            for (x = 0; x < w; x++) {
                l_uint32 p = line[x];
                uint32_t r = p >> 24, g = (p >> 16) & 0xff, b = (p >> 8) & 0xff, a = p & 0xff;
                if (spp == 4 && a != 255) {
                    r = over_white(r, a);
                    g = over_white(g, a);
                    b = over_white(b, a);
                }
                if (mode == SOHOA_RGBA) {
                    row[4 * x] = r;
                    row[4 * x + 1] = g;
                    row[4 * x + 2] = b;
                    row[4 * x + 3] = 255;
                } else {
                    row[x] = luma(r, g, b);
                }
            }
            break;
        default:
            return 1;
        }
    }
    return 0;
}

int sohoa_write_tiff(const char *path, PIX *pix, int comptype, const char *mode, char *msg, int msglen) {
    reset();
    int bad = pixWriteTiff(path, pix, comptype, mode);
    take(msg, msglen);
    return bad;
}

int sohoa_write_jp2(const char *path, PIX *pix, int quality, char *msg, int msglen) {
    reset();
    int bad = pixWriteJp2k(path, pix, quality, 0, 0, 0);
    take(msg, msglen);
    return bad;
}

/* sohoa_fill is the reverse of sohoa_copy, for writing test files:
 * SOHOA_GRAY8 into 8 bpp (or into 1 bpp: grey below 128 is black),
 * SOHOA_GRAY16 (big endian) into 16 bpp, SOHOA_RGBA into 32 bpp,
 * SOHOA_INDEX (one byte per pixel) into 8 bpp. */
int sohoa_fill(PIX *pix, const uint8_t *src, int stride, int mode) {
    int w = pixGetWidth(pix), h = pixGetHeight(pix), d = pixGetDepth(pix);
    int wpl = pixGetWpl(pix), x, y;
    l_uint32 *data = pixGetData(pix);

    for (y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        const uint8_t *row = src + (size_t)y * stride;
        for (x = 0; x < w; x++) {
            switch (d) {
            case 1:
                if (row[x] < 128)
                    SET_DATA_BIT(line, x);
                else
                    CLEAR_DATA_BIT(line, x);
                break;
            case 8:
                SET_DATA_BYTE(line, x, row[x]);
                break;
            case 16:
                SET_DATA_TWO_BYTES(line, x, (row[2 * x] << 8) | row[2 * x + 1]);
                break;
            case 32:
                line[x] = ((l_uint32)row[4 * x] << 24) | ((l_uint32)row[4 * x + 1] << 16) |
                          ((l_uint32)row[4 * x + 2] << 8) | 0xff;
                break;
            default:
                return 1;
            }
        }
    }
    return 0;
}
