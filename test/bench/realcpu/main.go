// Writes a big real CPU profile for `npm run bench`: type-checks the standard library from
// source with go/types, over and over, for -seconds, sampled at 1 kHz (runtime.SetCPUProfileRate
// before pprof.StartCPUProfile, which then keeps that rate; its warning on stderr is expected),
// in -workers goroutines: deep, varied stacks of real Go code.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "cpu.pb.gz", "profile to write")
	seconds := flag.Float64("seconds", 20, "how long to profile")
	hz := flag.Int("hz", 4000, "sampling rate")
	workers := flag.Int("workers", 2, "goroutines type-checking at once")
	flag.Parse()
	root := filepath.Join(runtime.GOROOT(), "src")
	var dirs []string
	for _, d := range []string{"bufio", "bytes", "encoding/json", "fmt", "go/ast", "go/parser", "go/printer", "go/types", "net/http", "net/url", "regexp", "regexp/syntax", "sort", "strconv", "strings", "text/template", "text/template/parse", "unicode/utf8"} {
		dirs = append(dirs, filepath.Join(root, d))
	}
	f, err := os.Create(*out)
	if err != nil {
		panic(err)
	}
	runtime.SetCPUProfileRate(*hz)
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	done := make(chan int)
	for w := 0; w < *workers; w++ {
		go func(w int) {
			rounds := 0
			for time.Now().Before(deadline) {
				for i := range dirs {
					check(dirs[(i+w*7)%len(dirs)])
					if !time.Now().Before(deadline) {
						break
					}
				}
				rounds++
			}
			done <- rounds
		}(w)
	}
	rounds := 0
	for w := 0; w < *workers; w++ {
		rounds += <-done
	}
	pprof.StopCPUProfile()
	f.Close()
	fmt.Println("rounds", rounds)
}

func check(dir string) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		return
	}
	names := make([]string, 0, len(pkgs))
	for n := range pkgs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		var files []*ast.File
		for _, f := range pkgs[n].Files {
			files = append(files, f)
		}
		conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), Error: func(error) {}}
		conf.Check(n, fset, files, &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}})
	}
}
