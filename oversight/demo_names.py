"""Word lists for the demo data: invented institution names and agreement titles.

The names are built from native Korean words (한빛 "great light", 누리 "world", ...) that no
real university, hospital or listed company in Korea goes by on its own, with a romanised English
form. The only real names in the demo come from reference/seed_agreements.csv.
"""

from __future__ import annotations

# (Korean, romanised) invented name stems.
STEMS: tuple[tuple[str, str], ...] = (
    ("한빛", "Hanbit"), ("누리", "Nuri"), ("가람", "Garam"), ("다온", "Daon"), ("미르", "Mir"),
    ("하람", "Haram"), ("보람", "Boram"), ("이룸", "Irum"), ("세움", "Seum"), ("늘봄", "Neulbom"),
    ("라온", "Raon"), ("아름", "Areum"), ("새빛", "Saebit"), ("도담", "Dodam"), ("해솔", "Haesol"),
    ("마루", "Maru"), ("한울", "Hanul"), ("다솜", "Dasom"), ("한결", "Hangyeol"), ("별빛", "Byeolbit"),
    ("은빛", "Eunbit"), ("하늘", "Haneul"), ("바른", "Bareun"), ("참빛", "Chambit"), ("새길", "Saegil"),
    ("큰솔", "Keunsol"), ("온빛", "Onbit"), ("들꽃", "Deulkkot"), ("꽃뫼", "Kkotmoe"), ("솔빛", "Solbit"),
    ("물빛", "Mulbit"), ("새론", "Saeron"), ("다빈", "Dabin"), ("예솔", "Yesol"), ("가온", "Gaon"),
    ("나래", "Narae"), ("두리", "Duri"), ("벼리", "Byeori"), ("아라", "Ara"), ("여울", "Yeoul"),
    ("윤슬", "Yunseul"), ("은하", "Eunha"), ("초롱", "Chorong"), ("푸름", "Pureum"), ("해밀", "Haemil"),
    ("햇살", "Haetsal"), ("미리내", "Mirinae"), ("소담", "Sodam"), ("늘품", "Neulpum"), ("단비", "Danbi"),
    ("모아", "Moa"), ("새봄", "Saebom"), ("슬기", "Seulgi"), ("어진", "Eojin"), ("온새", "Onsae"),
    ("차오름", "Chaoreum"), ("꿈결", "Kkumgyeol"), ("너울", "Neoul"), ("노을", "Noeul"), ("다올", "Daol"),
    ("라움", "Raum"), ("로운", "Roun"), ("마중", "Majung"), ("맑음", "Malgeum"), ("바다솔", "Badasol"),
    ("별솔", "Byeolsol"), ("봄길", "Bomgil"), ("비솔", "Bisol"), ("새벽", "Saebyeok"), ("소리", "Sori"),
    ("솔바람", "Solbaram"), ("아띠", "Atti"), ("온유", "Onyu"), ("이든", "Ideun"), ("지음", "Jieum"),
    ("채움", "Chaeum"), ("청솔", "Cheongsol"), ("타래", "Tarae"), ("하랑", "Harang"), ("한누리", "Hannuri"),
    ("한아름", "Hanareum"), ("해나", "Haena"), ("혜윰", "Hyeyum"), ("늘빛", "Neulbit"), ("큰빛", "Keunbit"),
    ("한마루", "Hanmaru"), ("다예", "Daye"), ("별하", "Byeolha"), ("온솔", "Onsol"), ("푸른솔", "Pureunsol"),
    ("새터", "Saeteo"), ("고운", "Goun"), ("너른", "Neoreun"), ("든솔", "Deunsol"), ("꽃별", "Kkotbyeol"),
    ("빛누리", "Bitnuri"), ("한가람", "Hangaram"), ("참솔", "Chamsol"), ("해든", "Haedeun"),
    ("온누리빛", "Onnuribit"),
)

# (Korean suffix, English suffix) per kind of institution; every group has its own suffixes, so
# names never repeat across groups.
HOSPITAL_FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "tertiary": (("대학교병원", "University Hospital"),),
    "general": (
        ("종합병원", "General Hospital"), ("의료원", "Medical Center"),
        ("중앙병원", "Central Hospital"), ("기념병원", "Memorial Hospital"),
    ),
    "hospital": (
        ("병원", "Hospital"), ("재활병원", "Rehabilitation Hospital"),
        ("여성병원", "Women's Hospital"), ("척추병원", "Spine Hospital"),
        ("안과병원", "Eye Hospital"), ("아동병원", "Children's Hospital"),
    ),
}

COMPANY_FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "pharmaceutical": (("제약", "Pharmaceutical"), ("약품", "Pharm"), ("팜", "Pharma")),
    "medical_device": (("메디칼", "Medical"), ("메디텍", "Meditech"), ("의료기", "Medical Devices")),
    "ai_digital_health": (
        ("AI", "AI"), ("랩스", "Labs"), ("디지털헬스", "Digital Health"), ("데이터", "Data"),
    ),
    "biotech": (("바이오", "Bio"), ("바이오로직스", "Biologics"), ("테라퓨틱스", "Therapeutics")),
    "other": (("헬스케어", "Healthcare"), ("솔루션", "Solutions")),
}

OTHER_FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "university": (("대학교", "University"),),
    "research_institute": (
        ("의생명연구원", "Biomedical Research Institute"),
        ("의료데이터연구소", "Medical Data Institute"),
        ("임상연구센터", "Clinical Research Center"),
    ),
    "public_agency": (
        ("보건데이터진흥원", "Health Data Agency"),
        ("공공의료지원단", "Public Health Support Agency"),
    ),
}

# Agreement titles: a subject per research area, joined to a study design.
TITLE_SUBJECTS: dict[str, tuple[str, ...]] = {
    "oncology": ("lung cancer", "breast cancer", "gastric cancer", "colorectal cancer",
                 "hepatocellular carcinoma", "thyroid cancer"),
    "cardiovascular": ("atrial fibrillation", "heart failure", "acute myocardial infarction",
                       "hypertension"),
    "neurology": ("ischaemic stroke", "Parkinson's disease", "epilepsy", "dementia"),
    "metabolic_endocrine": ("type 2 diabetes", "obesity", "dyslipidaemia", "osteoporosis"),
    "infectious_disease": ("sepsis", "community-acquired pneumonia", "hepatitis B",
                           "antimicrobial resistance"),
    "respiratory": ("COPD", "asthma", "idiopathic pulmonary fibrosis"),
    "mental_health": ("major depressive disorder", "schizophrenia", "insomnia", "ADHD"),
    "rare_disease": ("rare genetic disorders", "Fabry disease", "spinal muscular atrophy"),
    "ophthalmology": ("diabetic retinopathy", "glaucoma", "macular degeneration"),
    "medical_imaging": ("chest CT", "mammography", "brain MRI", "chest X-ray"),
    "digital_therapeutics": ("app-based CBT", "digital rehabilitation", "remote monitoring"),
    "other": ("paediatric care pathways", "rehabilitation outcomes", "perioperative care"),
}

TITLE_DESIGNS: tuple[str, ...] = (
    "Real-world outcomes in ",
    "Treatment patterns in ",
    "Drug safety surveillance in ",
    "Retrospective cohort study of ",
    "AI model development for ",
    "Healthcare resource use in ",
)
