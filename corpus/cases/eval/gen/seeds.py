import json, re
def blocks(path):
    t = open(path).read()
    out = []
    i = 0
    while True:
        j = t.find('{', i)
        if j < 0: break
        depth = 0; k = j; instr = False
        while k < len(t):
            ch = t[k]
            if ch == '"' and t[k-1] != '\\': instr = not instr
            elif not instr and ch == '{': depth += 1
            elif not instr and ch == '}':
                depth -= 1
                if depth == 0: break
            k += 1
        blk = t[j:k+1]
        if '"Statement"' in blk or '"Effect"' in blk:
            out.append((j, blk))
        i = k + 1
    return out
S0 = blocks('/work/shared/seeds/000_4bf9d1b6f7bc9e25.txt')
S1 = blocks('/work/shared/seeds/001_ffd37191befe516d.txt')
S2 = blocks('/work/shared/seeds/002_eceb3463d17a44a7.txt')
if __name__ == '__main__':
    for name, bl in [('S0', S0), ('S1', S1), ('S2', S2)]:
        for n, (pos, b) in enumerate(bl):
            try:
                json.loads(b); ok = 'valid'
            except Exception as e:
                ok = 'INVALID ' + str(e)
            print(name, n, pos, ok, repr(b[:90]))
