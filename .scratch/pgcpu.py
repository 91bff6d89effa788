import os, sys, time, re, collections
def snap():
    out = {}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            cmd = open(f'/proc/{p}/cmdline','rb').read().replace(b'\0',b' ').decode()
            if not cmd.startswith('postgres'): continue
            f = open(f'/proc/{p}/stat').read().rsplit(') ',1)[1].split()
            out[p] = (int(f[11])+int(f[12]), cmd)
        except Exception: pass
    return out
a = snap(); time.sleep(float(sys.argv[1])); b = snap()
agg = collections.Counter()
for p,(t,cmd) in b.items():
    d = t - a.get(p,(t,''))[0] if p in a else t
    k = re.sub(r'postgres: (\d+/)?', '', cmd)
    k = re.sub(r'postgres \S+ \S+ \S+ (idle|INSERT|SELECT|COMMIT|idle in transaction).*', r'backend \1', k)
    k = re.sub(r'\d+\.\d+\.\d+\.\d+\(\d+\)', '', k)
    agg[k[:70]] += d
for k,v in agg.most_common(15):
    if v: print(f'{v/100/float(sys.argv[1]):6.2f} cores  {k}')
