// Oracle for shared/dwarf: reads a Go binary's DWARF with Go's own debug/dwarf and prints, as JSON,
// what Heapscope's reader must find: globals, types with Go attributes, struct fields, functions
// with their variables, and the line rows of package main.
package main

import (
	"debug/dwarf"
	"debug/elf"
	"encoding/json"
	"os"
	"strings"
)

type field struct {
	Name   string `json:"name"`
	Offset int64  `json:"offset"`
	Type   int64  `json:"type"`
}

type typ struct {
	Off         int64   `json:"off"`
	Tag         string  `json:"tag"`
	Name        string  `json:"name"`
	Size        int64   `json:"size"`
	Kind        int64   `json:"goKind"`
	RuntimeType int64   `json:"runtimeType"`
	Type        int64   `json:"type"`
	Key         int64   `json:"key"`
	Elem        int64   `json:"elem"`
	Count       int64   `json:"count"`
	Fields      []field `json:"fields,omitempty"`
}

type variable struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Type int64  `json:"type"`
}

type fn struct {
	Name string     `json:"name"`
	Low  uint64     `json:"lowPc"`
	High uint64     `json:"highPc"`
	Vars []variable `json:"vars"`
}

type global struct {
	Name    string `json:"name"`
	Address uint64 `json:"address"`
	Type    int64  `json:"type"`
}

type row struct {
	Address uint64 `json:"address"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

type out struct {
	Globals []global `json:"globals"`
	Types   []typ    `json:"types"`
	Funcs   []fn     `json:"funcs"`
	Lines   []row    `json:"mainLines"`
}

func num(v interface{}) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case uint64:
		return int64(x)
	case dwarf.Offset:
		return int64(x)
	case bool:
		if x {
			return 1
		}
	}
	return -1
}

func main() {
	f, err := elf.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	d, err := f.DWARF()
	if err != nil {
		panic(err)
	}
	var o out
	// The compile unit whose line rows are printed: Go's package main, or the one named by the second argument.
	unitName := "main"
	if len(os.Args) > 2 {
		unitName = os.Args[2]
	}
	r := d.Reader()
	var cur *fn
	depthFn := -1
	depth := 0
	var curType *typ
	for {
		e, err := r.Next()
		if err != nil {
			panic(err)
		}
		if e == nil {
			break
		}
		if e.Tag == 0 {
			depth--
			if depth == depthFn {
				cur = nil
				depthFn = -1
			}
			if depth <= 1 {
				curType = nil
			}
			continue
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		switch e.Tag {
		case dwarf.TagCompileUnit:
			if name == unitName {
				lr, err := d.LineReader(e)
				if err == nil && lr != nil {
					var le dwarf.LineEntry
					for lr.Next(&le) == nil {
						fname := ""
						if le.File != nil {
							fname = le.File.Name
						}
						o.Lines = append(o.Lines, row{le.Address, fname, le.Line})
					}
				}
			}
		case dwarf.TagBaseType, dwarf.TagPointerType, dwarf.TagStructType, dwarf.TagArrayType, dwarf.TagTypedef, dwarf.TagSubroutineType, dwarf.TagUnspecifiedType:
			if cur != nil {
				break
			}
			t := typ{Off: int64(e.Offset), Tag: e.Tag.String(), Name: name, Size: num(e.Val(dwarf.AttrByteSize)), Kind: num(e.Val(dwarf.Attr(0x2900))), RuntimeType: num(e.Val(dwarf.Attr(0x2904))),
				Type: num(e.Val(dwarf.AttrType)), Key: num(e.Val(dwarf.Attr(0x2901))), Elem: num(e.Val(dwarf.Attr(0x2902))), Count: -1}
			o.Types = append(o.Types, t)
			curType = &o.Types[len(o.Types)-1]
		case dwarf.TagMember:
			if curType != nil {
				curType.Fields = append(curType.Fields, field{name, num(e.Val(dwarf.AttrDataMemberLoc)), num(e.Val(dwarf.AttrType))})
			}
		case dwarf.TagSubrangeType:
			if curType != nil {
				if c := num(e.Val(dwarf.AttrCount)); c >= 0 {
					curType.Count = c
				} else if u := num(e.Val(dwarf.AttrUpperBound)); u >= 0 {
					curType.Count = u + 1
				}
			}
		case dwarf.TagSubprogram:
			low, ok := e.Val(dwarf.AttrLowpc).(uint64)
			if ok && name != "" {
				high := low
				switch h := e.Val(dwarf.AttrHighpc).(type) {
				case int64:
					high = low + uint64(h)
				case uint64:
					high = h
				}
				o.Funcs = append(o.Funcs, fn{Name: name, Low: low, High: high, Vars: []variable{}})
				cur = &o.Funcs[len(o.Funcs)-1]
				depthFn = depth
			}
		case dwarf.TagVariable, dwarf.TagFormalParameter:
			if cur != nil {
				if name != "" && depth == depthFn+1 {
					k := "local"
					if e.Tag == dwarf.TagFormalParameter {
						k = "param"
					}
					cur.Vars = append(cur.Vars, variable{name, k, num(e.Val(dwarf.AttrType))})
				}
			} else if e.Tag == dwarf.TagVariable && depth == 1 {
				if loc, ok := e.Val(dwarf.AttrLocation).([]byte); ok && len(loc) == 9 && loc[0] == 3 {
					a := f.ByteOrder.Uint64(loc[1:])
					o.Globals = append(o.Globals, global{name, a, num(e.Val(dwarf.AttrType))})
				}
			}
		}
		if e.Children {
			depth++
		}
		_ = strings.TrimSpace
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(o); err != nil {
		panic(err)
	}
}
