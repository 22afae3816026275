import zipfile, re, xml.etree.ElementTree as ET
NS={'m':'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
def col2i(c):
    n=0
    for ch in c:
        n=n*26+ord(ch)-64
    return n-1
def read_xlsx(data_or_path, sheet=1):
    z=zipfile.ZipFile(data_or_path)
    ss=[]
    if 'xl/sharedStrings.xml' in z.namelist():
        root=ET.fromstring(z.read('xl/sharedStrings.xml'))
        for si in root.findall('m:si',NS):
            ss.append(''.join(t.text or '' for t in si.iter('{%s}t'%NS['m'])))
    root=ET.fromstring(z.read('xl/worksheets/sheet%d.xml'%sheet))
    rows=[]
    for r in root.iter('{%s}row'%NS['m']):
        row={}
        for c in r.findall('m:c',NS):
            ref=re.match(r'([A-Z]+)',c.get('r')).group(1); t=c.get('t')
            v=c.find('m:v',NS)
            if t=='s': val=ss[int(v.text)]
            elif t=='inlineStr': val=''.join(x.text or '' for x in c.iter('{%s}t'%NS['m']))
            else: val=v.text if v is not None else None
            row[col2i(ref)]=val
        if row:
            m=max(row)+1; rows.append([row.get(i) for i in range(m)])
    return rows
