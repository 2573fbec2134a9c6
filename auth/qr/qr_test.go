package qr

import (
	"image"
	"image/color"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

func TestHalfBlockMappingExact(t *testing.T) {
	// 3x3: row0 = X.X, row1 = XX., row2 = .X.
	m := [][]bool{
		{true, false, true},
		{true, true, false},
		{false, true, false},
	}
	c, err := FromMatrix(m)
	if err != nil {
		t.Fatal(err)
	}
	// No quiet zone, dark ink: rows (0,1) then (2,light).
	want := "█▄▀\n ▀ "
	if got := c.Render(0, InkDark); got != want {
		t.Fatalf("dark ink:\n got %q\nwant %q", got, want)
	}
	// Light ink is the complement, including the light padding half.
	want = " ▀▄\n█▄█"
	if got := c.Render(0, InkLight); got != want {
		t.Fatalf("light ink:\n got %q\nwant %q", got, want)
	}
	// Quiet zone 1: 5 columns, 3 rows; module rows -1..3 plus a light
	// padding row.
	want = " ▄ ▄ \n" + // rows -1 (quiet) and 0: X.X
		" ▀█  \n" + //    rows 1 and 2: XX. / .X.
		"     " //         rows 3 (quiet) and 4 (padding)
	if got := c.Render(1, InkDark); got != want {
		t.Fatalf("quiet 1:\n got %q\nwant %q", got, want)
	}
	if cols, rows := c.Dims(1); cols != 5 || rows != 3 {
		t.Fatalf("Dims(1) = %d,%d, want 5,3", cols, rows)
	}
}

func TestFromMatrixRejectsNonSquare(t *testing.T) {
	if _, err := FromMatrix([][]bool{{true, false}, {true}}); err == nil {
		t.Fatal("non-square matrix accepted")
	}
}

// parse turns a rendering back into modules (true: block half), the
// inverse of Render, so a test can check what a camera would see.
func parse(t *testing.T, s string) [][]bool {
	t.Helper()
	lines := strings.Split(s, "\n")
	w := utf8.RuneCountInString(lines[0])
	grid := make([][]bool, 2*len(lines))
	for i := range grid {
		grid[i] = make([]bool, w)
	}
	for r, line := range lines {
		if n := utf8.RuneCountInString(line); n != w {
			t.Fatalf("row %d has %d columns, row 0 has %d", r, n, w)
		}
		x := 0
		for _, ch := range line {
			top, bottom := false, false
			switch ch {
			case '█':
				top, bottom = true, true
			case '▀':
				top = true
			case '▄':
				bottom = true
			case ' ':
			default:
				t.Fatalf("unexpected rune %q", ch)
			}
			grid[2*r][x], grid[2*r+1][x] = top, bottom
			x++
		}
	}
	return grid
}

// decode renders blocks as ink on paper and reads the code with a real
// QR decoder. With InkLight the blocks are light (white) and the spaces
// the dark terminal background.
func decode(t *testing.T, s string, ink Ink) string {
	t.Helper()
	g := parse(t, s)
	const scale = 4
	img := image.NewGray(image.Rect(0, 0, len(g[0])*scale, len(g)*scale))
	for y, row := range g {
		for x, block := range row {
			black := block == (ink == InkDark)
			c := color.Gray{Y: 255}
			if black {
				c = color.Gray{Y: 0}
			}
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					img.SetGray(x*scale+dx, y*scale+dy, c)
				}
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: false})
	if err != nil {
		t.Fatalf("decoder could not read the rendered code: %v", err)
	}
	return res.GetText()
}

// A realistic Fitbit authorization URL (fake values, real length).
const fitbitURL = "https://www.fitbit.com/oauth2/authorize?client_id=23ABCD&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&redirect_uri=http%3A%2F%2F127.0.0.1%3A8484%2Fcallback&response_type=code&scope=activity+heartrate+sleep+weight+profile+settings&state=q1w2e3r4t5y6u7i8o9p0aa"

func TestRenderedCodeDecodes(t *testing.T) {
	for _, text := range []string{"https://example.com/", fitbitURL} {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, ink := range []Ink{InkDark, InkLight} {
			for _, q := range []int{MinQuiet, StandardQuiet} {
				s := c.Render(q, ink)
				cols, rows := c.Dims(q)
				lines := strings.Split(s, "\n")
				if len(lines) != rows || utf8.RuneCountInString(lines[0]) != cols {
					t.Fatalf("Dims(%d) = %dx%d but rendering is %dx%d", q, cols, rows, utf8.RuneCountInString(lines[0]), len(lines))
				}
				if got := decode(t, s, ink); got != text {
					t.Fatalf("ink %d quiet %d: decoded %q, want %q", ink, q, got, text)
				}
			}
		}
	}
}

func TestModuleCountAndQuietZone(t *testing.T) {
	c, err := Encode("https://example.com/")
	if err != nil {
		t.Fatal(err)
	}
	// 20 bytes at level L fit version 2: 25 modules.
	if c.Modules() != 25 {
		t.Fatalf("modules = %d, want 25", c.Modules())
	}
	g := parse(t, c.Render(MinQuiet, InkDark))
	for y := range g {
		for x := range g[y] {
			inQuiet := x < MinQuiet || y < MinQuiet || x >= MinQuiet+25 || y >= MinQuiet+25
			if inQuiet && g[y][x] {
				t.Fatalf("dark module in the quiet zone at %d,%d", x, y)
			}
		}
	}
	// Finder pattern corner: the symbol's first row starts with 7 dark.
	for x := 0; x < 7; x++ {
		if !g[MinQuiet][MinQuiet+x] {
			t.Fatalf("finder pattern missing at column %d", x)
		}
	}
}

func TestFitNeverClips(t *testing.T) {
	c, _ := Encode(fitbitURL)
	minCols, minRows := c.Dims(MinQuiet)
	stdCols, stdRows := c.Dims(StandardQuiet)
	if cols, rows, ok := Needs(fitbitURL); !ok || cols != minCols || rows != minRows {
		t.Fatalf("Needs = %d,%d,%v want %d,%d", cols, rows, ok, minCols, minRows)
	}
	cases := []struct {
		cols, rows int
		ok         bool
		quiet      int
	}{
		{stdCols, stdRows, true, StandardQuiet},
		{200, 200, true, StandardQuiet},
		{minCols, minRows, true, MinQuiet},
		{minCols - 1, 200, false, 0},
		{200, minRows - 1, false, 0},
		{80, 24, false, 0}, // a real authorization URL does not fit 80x24
	}
	for _, tc := range cases {
		s, ok := Fit(fitbitURL, tc.cols, tc.rows, InkDark)
		if ok != tc.ok {
			t.Fatalf("Fit(%d,%d) ok=%v want %v", tc.cols, tc.rows, ok, tc.ok)
		}
		if !ok {
			if s != "" {
				t.Fatalf("Fit(%d,%d) returned a partial code", tc.cols, tc.rows)
			}
			continue
		}
		if s != c.Render(tc.quiet, InkDark) {
			t.Fatalf("Fit(%d,%d) did not pick quiet zone %d", tc.cols, tc.rows, tc.quiet)
		}
		lines := strings.Split(s, "\n")
		if len(lines) > tc.rows || utf8.RuneCountInString(lines[0]) > tc.cols {
			t.Fatalf("Fit(%d,%d) returned %dx%d", tc.cols, tc.rows, utf8.RuneCountInString(lines[0]), len(lines))
		}
	}
	if _, ok := Fit(strings.Repeat("x", 4000), 1000, 1000, InkDark); ok {
		t.Fatal("text beyond QR capacity reported as fitting")
	}
}

func BenchmarkRenderFitbitURL(b *testing.B) {
	for b.Loop() {
		if _, ok := Fit(fitbitURL, 200, 200, InkDark); !ok {
			b.Fatal("did not fit")
		}
	}
}
