package diff

// kind is what an edit does to a line; its value is the line's mark in a
// unified diff.
type kind byte

const (
	same    kind = ' '
	removed kind = '-'
	added   kind = '+'
)

// op is one line of the edit script that turns a into b.
type op struct {
	kind kind
	line string
}

// maxCells bounds the table of the longest common subsequence (n×m ints):
// 4M cells is 32 MiB, beyond the small files templates write.
const maxCells = 4_000_000

// edits is the shortest edit script from a to b, found through the
// longest common subsequence of their lines, with removals before
// additions as diff prints them. Beyond maxCells it removes every line of
// a and adds every line of b: still a correct script, only not the
// shortest.
func edits(a, b []string) []op {
	n, m := len(a), len(b)
	var ops []op
	if n*m > maxCells {
		for _, l := range a {
			ops = append(ops, op{removed, l})
		}
		for _, l := range b {
			ops = append(ops, op{added, l})
		}
		return ops
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, op{same, a[i]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{removed, a[i]})
			i++
		default:
			ops = append(ops, op{added, b[j]})
			j++
		}
	}
	return ops
}
