package workers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/alto"
	"github.com/sohoa/sohoa/ocr/cleanup"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// cleanupOutcome is what the cleanup stage hands to the OCR stage (in the
// task payload, never image bytes).
type cleanupOutcome struct {
	Report   cleanup.Report   `json:"report"`
	Original *batch.ImageInfo `json:"original"`
	Image    string           `json:"image"`
	ImageSHA string           `json:"image_sha256"`
	OCRInput string           `json:"ocr_input,omitempty"`
	Color    string           `json:"color,omitempty"`
	ColorSHA string           `json:"color_sha256,omitempty"`
	Width    int              `json:"width"`
	Height   int              `json:"height"`
	DPI      int              `json:"dpi"`
	Seconds  float64          `json:"seconds"`
}

// cleanupPage decodes one page of its source, cleans it, stores the
// cleaned image (and the OCR input when it differs) and queues OCR.
func (f *Stages) cleanupPage(ctx context.Context, p *queue.PagePayload) error {
	start := time.Now()
	local, release, err := f.localCopy(ctx, p.Source.Key)
	if err != nil {
		return err
	}
	defer release()
	doc, err := f.sources.Open(ctx, local)
	if err != nil {
		return err
	}
	defer doc.Close()
	// Hold the page's share of the memory budget while it is decoded and
	// cleaned (the header says how big it is before anything is decoded).
	hdr, err := doc.Info(p.Index)
	if err != nil {
		return err
	}
	need := min(pageMemory(hdr), f.cfg.MemoryBudget)
	if err := f.memory.Acquire(ctx, need); err != nil {
		return err
	}
	defer f.memory.Release(need)
	img, info, err := doc.Decode(ctx, p.Index)
	if err != nil {
		return err
	}
	res, err := cleanup.Clean(ctx, img, info.DPI, f.cfg.Cleanup)
	if err != nil {
		return err
	}
	// A colour original is kept in colour too, cut and turned as the
	// cleaned image (the archive's PDF shows the page as it was).
	var colorJPEG []byte
	if f.cfg.ColorQuality > 0 && keepColor(img, info) && !res.Report.Blank {
		if colorJPEG, err = ocr.EncodeJPEG(res.Color(img), res.DPI, f.cfg.ColorQuality); err != nil {
			return err
		}
	}
	img = nil // let the decoded original go before encoding
	out := cleanupOutcome{
		Report:   res.Report,
		Original: &batch.ImageInfo{Width: info.Width, Height: info.Height, DPI: info.DPI, Color: info.Color},
		Image:    batch.PageKey(p.BatchID, p.PageID, batch.FileImage),
		Width:    res.Image.Bounds().Dx(),
		Height:   res.Image.Bounds().Dy(),
		DPI:      res.DPI,
	}
	// Fast compression: 45% less time than the default level for 6% more
	// bytes on an A4 page (measured); the image is written once per page.
	png, err := ocr.EncodePNG(res.Image, res.DPI, true)
	if err != nil {
		return err
	}
	if out.ImageSHA, err = f.put(ctx, out.Image, png, "image/png"); err != nil {
		return err
	}
	if res.OCRImage != nil {
		b, err := ocr.EncodePNG(res.OCRImage, res.DPI, true)
		if err != nil {
			return err
		}
		out.OCRInput = batch.PageKey(p.BatchID, p.PageID, batch.FileOCRInput)
		if _, err := f.put(ctx, out.OCRInput, b, "image/png"); err != nil {
			return err
		}
	}
	if colorJPEG != nil {
		out.Color = batch.PageKey(p.BatchID, p.PageID, batch.FileColor)
		if out.ColorSHA, err = f.put(ctx, out.Color, colorJPEG, "image/jpeg"); err != nil {
			return err
		}
	}
	out.Seconds = time.Since(start).Seconds()
	next := *p
	if next.Cleanup, err = json.Marshal(out); err != nil {
		return err
	}
	return f.client.OCR(ctx, next)
}

// ocrPage reads the cleaned page with OCR and writes its text, hOCR and
// record, then marks it done.
func (f *Stages) ocrPage(ctx context.Context, p *queue.PagePayload) error {
	if f.engines == nil {
		return fmt.Errorf("this process has no OCR engine")
	}
	var cl cleanupOutcome
	if err := json.Unmarshal(p.Cleanup, &cl); err != nil || cl.Image == "" {
		return permanent(fmt.Errorf("the OCR task carries no cleanup result"))
	}
	start := time.Now()
	engineName := "none (blank page)"
	var page *ocr.Page
	var second *batch.SecondPass
	if cl.Report.Blank {
		// Nothing to read: empty outputs, no OCR time spent.
		page = &ocr.Page{Width: cl.Width, Height: cl.Height, DPI: cl.DPI}
	} else {
		inputKey := cl.Image
		if cl.OCRInput != "" {
			inputKey = cl.OCRInput
		}
		img, err := storage.ReadAll(ctx, f.store, inputKey)
		if err != nil {
			return err // a missing cleaned image is retried (a store outage looks the same)
		}
		f.log.Info("ocr started", "batch", p.BatchID, "page", p.PageID)
		if page, engineName, err = f.recognize(ctx, img); err != nil {
			return err
		}
		// A page read with little confidence is read again from the
		// alternate cleanup profile; the more confident reading is kept.
		if conf := page.MeanConfidence(); f.cfg.SecondPassBelow > 0 && conf < f.cfg.SecondPassBelow && len(page.Words()) > 0 {
			alt, key, err := f.secondPass(ctx, p, cl)
			if err != nil {
				return err
			}
			second = &batch.SecondPass{Profile: string(cleanup.ProfileAlternate), Before: round1(conf), After: round1(alt.MeanConfidence())}
			if alt.MeanConfidence() > conf {
				page, second.Kept, cl.OCRInput = alt, true, key
			}
		}
	}
	// Decree 30 layout: read the header's and the closing block's columns
	// left then right, not row by row as Tesseract does.
	columnRuns, tables := 0, 0
	if !f.cfg.KeepEngineOrder && ocr.LooksVietnamese(page) {
		columnRuns = ocr.FixColumns(page)
	}
	// Ruled tables: row by row, cell by cell (the engine reads across the
	// page, interleaving the lines of cells that wrap).
	if !f.cfg.KeepEngineOrder && len(cl.Report.Tables) > 0 {
		tables = ocr.ReadTables(page, cl.Report.Tables)
	}
	ocrSeconds := time.Since(start).Seconds()

	pg := batch.Page{
		ID: p.PageID, Source: p.Source.Name, SourceID: p.Source.ID, Index: p.Index, Status: batch.StateDone,
		Text:   batch.PageKey(p.BatchID, p.PageID, batch.FileText),
		HOCR:   batch.PageKey(p.BatchID, p.PageID, batch.FileHOCR),
		Image:  cl.Image,
		Color:  cl.Color,
		Record: batch.PageKey(p.BatchID, p.PageID, batch.FileRecord),
		Width:  cl.Width, Height: cl.Height, DPI: cl.DPI,
		Worker: f.cfg.Worker,
		SHA256: map[string]string{"image": cl.ImageSHA},
	}
	if cl.Color != "" {
		pg.SHA256["color"] = cl.ColorSHA
	}
	words := page.Words()
	pg.Words = len(words)
	pg.Confidence = round1(page.MeanConfidence())
	f.cfg.Observer.PageRead(pg.Confidence)
	pg.Blank = cl.Report.Blank || len(words) == 0

	text := page.Text()
	var err error
	if pg.SHA256["text"], err = f.put(ctx, pg.Text, []byte(text), "text/plain; charset=utf-8"); err != nil {
		return err
	}
	var hocr bytes.Buffer
	if err := ocr.WriteHOCR(&hocr, page, ocr.HOCROptions{Image: batch.FileImage, System: f.cfg.Producer + " (" + engineName + ")", PageNo: p.Index}); err != nil {
		return err
	}
	if pg.SHA256["hocr"], err = f.put(ctx, pg.HOCR, hocr.Bytes(), "text/html; charset=utf-8"); err != nil {
		return err
	}
	var altoDoc bytes.Buffer
	err = alto.Write(&altoDoc, page, alto.Options{Image: batch.FileImage, PageNo: p.Index, Engine: engineName,
		Version: strings.TrimPrefix(f.cfg.Producer, "sohoa "), Time: time.Now().UTC()})
	if err != nil {
		return err
	}
	pg.ALTO = batch.PageKey(p.BatchID, p.PageID, batch.FileALTO)
	if pg.SHA256["alto"], err = f.put(ctx, pg.ALTO, altoDoc.Bytes(), "application/xml"); err != nil {
		return err
	}
	now := time.Now().UTC()
	pg.Finished = &now
	retried, _ := asynq.GetRetryCount(ctx)
	rec := batch.Record{
		Page: pg, BatchID: p.BatchID, Engine: engineName, Langs: page.Langs, Original: cl.Original, SecondPass: second,
		Attempt:    retried + 1,
		ColumnRuns: columnRuns,
		Tables:     tables,
		Timings:    map[string]float64{"cleanup": round3(cl.Seconds), "ocr": round3(ocrSeconds)},
	}
	if rec.Cleanup, err = json.Marshal(cl.Report); err != nil {
		return err
	}
	if err := batch.WriteRecord(ctx, f.store, &rec); err != nil {
		return err
	}
	c, err := f.tracker.SetPage(ctx, p.BatchID, p.PageID, batch.StateDone, &pg)
	if err != nil {
		return err
	}
	f.log.Info("page done", "batch", p.BatchID, "page", p.PageID, "words", pg.Words, "confidence", pg.Confidence,
		"ocr_seconds", round3(ocrSeconds))
	if p.SourcePages == 1 && !c.Status.Cancelled() {
		f.prebuildDocument(ctx, p, pg)
	}
	return f.progressed(ctx, p.BatchID, p.Priority, c)
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }
func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// keepColor says whether a decoded page is kept in colour as well: its
// file is in colour and the decoder gave colour (not grey) pixels.
func keepColor(img image.Image, info source.PageInfo) bool {
	switch info.Color {
	case "rgb", "cmyk", "palette":
	default:
		return false
	}
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return false
	}
	return true
}

// pageMemory estimates the peak memory of decoding and cleaning a page,
// from measured peaks: a colour page about 11 bytes per pixel (Leptonica
// holds two RGBA buffers while converting), a grey or bilevel one about 4.
func pageMemory(info source.PageInfo) int64 {
	px := int64(info.Width) * int64(info.Height)
	switch info.Color {
	case "gray", "bilevel":
		return px * 4
	}
	return px * 11
}

// recognize reads an encoded image with an engine from the pool.
func (f *Stages) recognize(ctx context.Context, img []byte) (*ocr.Page, string, error) {
	eng, err := f.engines.get()
	if err != nil {
		return nil, "", err
	}
	defer f.engines.put(eng)
	page, err := eng.Recognize(ctx, img)
	return page, eng.Name(), err
}

// secondPass cleans the page again with the alternate profile (a Sauvola
// binarisation: the same geometry, so word boxes still refer to
// image.png), stores that OCR input and reads it.
func (f *Stages) secondPass(ctx context.Context, p *queue.PagePayload, cl cleanupOutcome) (*ocr.Page, string, error) {
	local, release, err := f.localCopy(ctx, p.Source.Key)
	if err != nil {
		return nil, "", err
	}
	defer release()
	doc, err := f.sources.Open(ctx, local)
	if err != nil {
		return nil, "", err
	}
	defer doc.Close()
	hdr, err := doc.Info(p.Index)
	if err != nil {
		return nil, "", err
	}
	need := min(pageMemory(hdr), f.cfg.MemoryBudget)
	if err := f.memory.Acquire(ctx, need); err != nil {
		return nil, "", err
	}
	opt := f.cfg.Cleanup
	opt.Profile = cleanup.ProfileAlternate
	img, info, err := doc.Decode(ctx, p.Index)
	var res *cleanup.Result
	if err == nil {
		res, err = cleanup.Clean(ctx, img, info.DPI, opt)
	}
	img = nil
	f.memory.Release(need)
	if err != nil {
		return nil, "", err
	}
	ocrImg := res.OCRImage
	if ocrImg == nil {
		ocrImg = res.Image
	}
	if ocrImg.Bounds().Dx() != cl.Width || ocrImg.Bounds().Dy() != cl.Height {
		return nil, "", fmt.Errorf("the alternate cleanup changed the page geometry (%v, was %dx%d)", ocrImg.Bounds(), cl.Width, cl.Height)
	}
	b, err := ocr.EncodePNG(ocrImg, res.DPI, true)
	if err != nil {
		return nil, "", err
	}
	key := batch.PageKey(p.BatchID, p.PageID, batch.FileOCRInput)
	if _, err := f.put(ctx, key, b, "image/png"); err != nil {
		return nil, "", err
	}
	page, _, err := f.recognize(ctx, b)
	return page, key, err
}
