"""Synthetic plan workspaces for benchmarking ``aseanctl``.

    python benchmarks/generate.py OUT_DIR --tasks N [--files F] [--updates U] [--seed S]

writes a workspace in the layout of ``docs/plan-format.md``::

    OUT_DIR/owners.yaml                      40 owners: organisations, departments, districts
    OUT_DIR/kh-mau-2021/plan.yaml            objectives N1..N5 (ASCC A..E), period 2021-2025
    OUT_DIR/kh-mau-2021/tasks/nhom-*.yaml    N tasks spread over F files
    OUT_DIR/kh-mau-2021/journal/YYYY.jsonl   with --updates: U status updates, 2021..2025

The tasks read like a provincial action plan: Vietnamese titles with full diacritics
composed from public-administration phrases, an English title built from the same
parts, a lead and supporting owners, a deadline or ``recurring: yearly``, an output,
ASCC elements, tags and, for some tasks, indicators feeding plan-level indicators.
Every reference resolves and every date respects the plan period and the owners' life
spans (departments merged on 2025-03-01 hand over to a successor; districts end on
2025-06-30 with none, so only tasks finished by then involve them), so the workspace
validates clean.  The journal (``generate_journal``) is what ``aseanctl update`` would
have written over the plan period: consistent progress, hand-overs respected, a few
corrections; it validates clean too.  The output depends only on the arguments.

YAML is written as text (no ``yaml.dump``) for speed: plain scalars where they are
unambiguous, JSON double-quoted strings (valid YAML) elsewhere.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

PLAN_ID = "kh-mau-2021"
PERIOD_START = date(2021, 1, 1)
PERIOD_END = date(2025, 12, 31)
MERGER_DAY = date(2025, 3, 1)  # new provincial agencies operate from this day
DISTRICTS_END = date(2025, 6, 30)  # district level abolished from 2025-07-01


# --- YAML text -----------------------------------------------------------------------

# A plain scalar is safe in block context when it starts with a letter, holds no
# indicator that could end or retype it, and is not a word YAML 1.1 reads as a value.
_PLAIN = re.compile(r"[^\W\d_][^:#\"'\\{}\[\]&*!|>%@`\n]*", re.UNICODE)
_YAML11_WORDS = frozenset(["y", "yes", "n", "no", "true", "false", "on", "off", "null"])


def scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when unambiguous, JSON-quoted otherwise."""
    if _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _YAML11_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_list(items: list[str]) -> str:
    """A flow sequence of identifiers (which never need quoting)."""
    return "[" + ", ".join(items) + "]"


# --- Owners --------------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    id: str
    name: str
    name_en: str
    kind: str
    short: str | None = None
    active_from: date | None = None
    active_until: date | None = None
    successor: str | None = None

    def can_work(self, start: date, end: date) -> bool:
        """Whether the owner exists when work on ``start``..``end`` begins and someone
        (itself or its successor) carries it to the end."""
        if self.active_from is not None and self.active_from > start:
            return False
        if self.active_until is None or end <= self.active_until:
            return True
        return self.successor is not None and start <= self.active_until


_MERGED = MERGER_DAY - timedelta(days=1)

OWNERS: tuple[Owner, ...] = (
    # organisations
    Owner(
        "ubnd-tinh", "Ủy ban nhân dân tỉnh An Giang", "People's Committee of An Giang Province", "organisation", "UBND"
    ),
    Owner(
        "ubmttq-tinh",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Provincial Committee of the Vietnam Fatherland Front",
        "organisation",
        "UBMTTQ",
    ),
    Owner("cong-an-tinh", "Công an tỉnh", "Provincial Police", "organisation", "CA"),
    Owner("bo-chqs-tinh", "Bộ Chỉ huy Quân sự tỉnh", "Provincial Military Command", "organisation", "BCHQS"),
    Owner("hoi-lhpn-tinh", "Hội Liên hiệp Phụ nữ tỉnh", "Provincial Women's Union", "organisation", "HLHPN"),
    Owner("tinh-doan", "Tỉnh Đoàn", "Provincial Youth Union", "organisation", "TĐ"),
    Owner("ldld-tinh", "Liên đoàn Lao động tỉnh", "Provincial Federation of Labour", "organisation", "LĐLĐ"),
    Owner("hoi-nong-dan-tinh", "Hội Nông dân tỉnh", "Provincial Farmers' Union", "organisation", "HND"),
    Owner("bhxh-tinh", "Bảo hiểm xã hội tỉnh", "Provincial Social Security", "organisation", "BHXH"),
    # departments: the usual set in 2021, and the agencies formed on 2025-03-01
    Owner(
        "so-ldtbxh",
        "Sở Lao động - Thương binh và Xã hội",
        "Department of Labour, Invalids and Social Affairs",
        "department",
        "SLĐTBXH",
        active_until=_MERGED,
        successor="so-noi-vu",
    ),
    Owner("so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", "SNV"),
    Owner("so-tu-phap", "Sở Tư pháp", "Department of Justice", "department", "STP"),
    Owner(
        "so-khdt",
        "Sở Kế hoạch và Đầu tư",
        "Department of Planning and Investment",
        "department",
        "SKHĐT",
        active_until=_MERGED,
        successor="so-tai-chinh",
    ),
    Owner("so-tai-chinh", "Sở Tài chính", "Department of Finance", "department", "STC"),
    Owner("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade", "department", "SCT"),
    Owner(
        "so-nnptnt",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Department of Agriculture and Rural Development",
        "department",
        "SNNPTNT",
        active_until=_MERGED,
        successor="so-nnmt",
    ),
    Owner(
        "so-tnmt",
        "Sở Tài nguyên và Môi trường",
        "Department of Natural Resources and Environment",
        "department",
        "STNMT",
        active_until=_MERGED,
        successor="so-nnmt",
    ),
    Owner(
        "so-nnmt",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        "department",
        "SNNMT",
        active_from=MERGER_DAY,
    ),
    Owner(
        "so-gtvt",
        "Sở Giao thông vận tải",
        "Department of Transport",
        "department",
        "SGTVT",
        active_until=_MERGED,
        successor="so-xay-dung",
    ),
    Owner("so-xay-dung", "Sở Xây dựng", "Department of Construction", "department", "SXD"),
    Owner(
        "so-tttt",
        "Sở Thông tin và Truyền thông",
        "Department of Information and Communications",
        "department",
        "STTTT",
        active_until=_MERGED,
        successor="so-khcn",
    ),
    Owner("so-khcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "department", "SKHCN"),
    Owner("so-gddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "department", "SGDĐT"),
    Owner(
        "so-vhttdl",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
        "department",
        "SVHTTDL",
    ),
    Owner("so-y-te", "Sở Y tế", "Department of Health", "department", "SYT"),
    Owner("so-ngoai-vu", "Sở Ngoại vụ", "Department of Foreign Affairs", "department", "SNgV"),
    Owner(
        "ban-dan-toc",
        "Ban Dân tộc",
        "Ethnic Affairs Committee",
        "department",
        "BDT",
        active_until=_MERGED,
        successor="so-dttg",
    ),
    Owner(
        "so-dttg",
        "Sở Dân tộc và Tôn giáo",
        "Department of Ethnic and Religious Affairs",
        "department",
        "SDTTG",
        active_from=MERGER_DAY,
    ),
    Owner("thanh-tra-tinh", "Thanh tra tỉnh", "Provincial Inspectorate", "department", "TTr"),
    # districts: abolished with no named successor
    *(
        Owner(oid, name, name_en, "district", active_until=DISTRICTS_END)
        for oid, name, name_en in (
            ("long-xuyen", "Thành phố Long Xuyên", "Long Xuyen City"),
            ("chau-doc", "Thành phố Châu Đốc", "Chau Doc City"),
            ("tan-chau", "Thị xã Tân Châu", "Tan Chau Town"),
            ("an-phu", "Huyện An Phú", "An Phu District"),
            ("chau-phu", "Huyện Châu Phú", "Chau Phu District"),
            ("chau-thanh", "Huyện Châu Thành", "Chau Thanh District"),
            ("cho-moi", "Huyện Chợ Mới", "Cho Moi District"),
            ("phu-tan", "Huyện Phú Tân", "Phu Tan District"),
            ("thoai-son", "Huyện Thoại Sơn", "Thoai Son District"),
            ("tinh-bien", "Huyện Tịnh Biên", "Tinh Bien District"),
            ("tri-ton", "Huyện Tri Tôn", "Tri Ton District"),
        )
    ),
)
OWNER_BY_ID = {owner.id: owner for owner in OWNERS}
DISTRICTS = tuple(owner for owner in OWNERS if owner.kind == "district")
PARTNERS = tuple(owner for owner in OWNERS if owner.kind != "district")


# --- Vocabulary ----------------------------------------------------------------------


@dataclass(frozen=True)
class Objective:
    id: str
    ascc: str
    elements: tuple[str, ...]
    title: str
    title_en: str


OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        "N1",
        "A",
        ("A.1", "A.2"),
        "Triển khai các hoạt động xây dựng cộng đồng gắn kết và mang lại lợi ích cho người dân",
        "Carry out activities to build a community that engages and benefits the people",
    ),
    Objective(
        "N2",
        "B",
        ("B.1", "B.2", "B.3"),
        "Triển khai các hoạt động xây dựng cộng đồng hòa nhập, giảm dần các rào cản, bất bình đẳng trong xã hội",
        "Carry out activities to build an inclusive community, reducing barriers and inequalities",
    ),
    Objective(
        "N3",
        "C",
        ("C.1", "C.2", "C.3", "C.4"),
        "Triển khai các hoạt động xây dựng cộng đồng bền vững",
        "Carry out activities to build a sustainable community",
    ),
    Objective(
        "N4",
        "D",
        ("D.1", "D.2", "D.3", "D.4", "D.5"),
        "Xây dựng xã hội có khả năng ứng phó với các nguy cơ gây hại đến sức khỏe của người dân, "
        "hướng đến một cộng đồng tự lực, tự cường",
        "Build a society able to respond to hazards to people's health, towards a resilient community",
    ),
    Objective(
        "N5",
        "E",
        ("E.1", "E.2", "E.3"),
        "Xây dựng một xã hội năng động thích ứng với việc tăng cường tính cạnh tranh của nguồn nhân lực",
        "Build a dynamic society adapting to stronger competitiveness of human resources",
    ),
)

# (Vietnamese, English, tag) per ASCC characteristic
TOPICS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "A": (
        ("sự tham gia của người dân vào xây dựng chính sách", "people's participation in policy-making", "tham-gia"),
        ("cải cách hành chính", "administrative reform", "cai-cach-hanh-chinh"),
        ("nâng cao năng lực cán bộ, công chức", "capacity building for civil servants", "nang-luc"),
        ("phổ biến, giáo dục pháp luật", "legal dissemination and education", "pho-bien-phap-luat"),
        ("thông tin về Cộng đồng ASEAN", "information about the ASEAN Community", "thong-tin-asean"),
    ),
    "B": (
        ("bình đẳng giới", "gender equality", "binh-dang-gioi"),
        ("quyền của người khuyết tật", "the rights of persons with disabilities", "nguoi-khuyet-tat"),
        ("bảo vệ, chăm sóc trẻ em", "child protection and care", "tre-em"),
        ("chăm sóc người cao tuổi", "care for older persons", "nguoi-cao-tuoi"),
        ("giảm nghèo bền vững", "sustainable poverty reduction", "giam-ngheo"),
        ("hỗ trợ đồng bào dân tộc thiểu số", "support for ethnic minorities", "dan-toc-thieu-so"),
    ),
    "C": (
        ("bảo vệ môi trường", "environmental protection", "moi-truong"),
        ("bảo tồn đa dạng sinh học", "biodiversity conservation", "da-dang-sinh-hoc"),
        ("quản lý chất thải rắn sinh hoạt", "household solid-waste management", "chat-thai"),
        ("sử dụng tiết kiệm và hiệu quả tài nguyên nước", "efficient use of water resources", "tai-nguyen-nuoc"),
        ("sản xuất và tiêu dùng bền vững", "sustainable production and consumption", "tieu-dung-ben-vung"),
    ),
    "D": (
        ("phòng, chống thiên tai", "natural-disaster prevention", "thien-tai"),
        ("ứng phó với biến đổi khí hậu", "climate-change response", "bien-doi-khi-hau"),
        ("phòng, chống dịch bệnh", "disease prevention and control", "dich-benh"),
        ("an toàn thực phẩm", "food safety", "an-toan-thuc-pham"),
        ("an sinh xã hội cho nhóm yếu thế", "social protection for vulnerable groups", "an-sinh"),
        ("phòng, chống mua bán người", "prevention of human trafficking", "mua-ban-nguoi"),
    ),
    "E": (
        ("giáo dục nghề nghiệp", "vocational education", "giao-duc-nghe-nghiep"),
        ("chuyển đổi số", "digital transformation", "chuyen-doi-so"),
        ("khởi nghiệp đổi mới sáng tạo", "innovative start-ups", "khoi-nghiep"),
        (
            "hợp tác quốc tế về giáo dục và đào tạo",
            "international cooperation in education and training",
            "hop-tac-quoc-te",
        ),
        ("việc làm cho thanh niên", "youth employment", "viec-lam"),
    ),
}

# (Vietnamese, English, candidate leads in order of succession)
SECTORS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("y tế", "health", ("so-y-te",)),
    ("giáo dục", "education", ("so-gddt",)),
    ("lao động, việc làm", "labour and employment", ("so-ldtbxh", "so-noi-vu")),
    ("văn hóa", "culture", ("so-vhttdl",)),
    ("du lịch", "tourism", ("so-vhttdl",)),
    ("nông nghiệp", "agriculture", ("so-nnptnt", "so-nnmt")),
    ("tài nguyên và môi trường", "natural resources and environment", ("so-tnmt", "so-nnmt")),
    ("thông tin và truyền thông", "information and communications", ("so-tttt", "so-khcn")),
    ("khoa học và công nghệ", "science and technology", ("so-khcn",)),
    ("công thương", "industry and trade", ("so-cong-thuong",)),
    ("tư pháp", "justice", ("so-tu-phap",)),
    ("nội vụ", "home affairs", ("so-noi-vu",)),
    ("giao thông", "transport", ("so-gtvt", "so-xay-dung")),
    ("công tác dân tộc", "ethnic affairs", ("ban-dan-toc", "so-dttg")),
    ("đối ngoại", "foreign affairs", ("so-ngoai-vu",)),
)

# (Vietnamese, English)
ACTIONS: tuple[tuple[str, str], ...] = (
    ("Triển khai chương trình hành động về", "Implement the action programme on"),
    ("Xây dựng kế hoạch thực hiện", "Draw up a plan for"),
    ("Tổ chức các lớp tập huấn về", "Hold training courses on"),
    ("Đẩy mạnh công tác tuyên truyền về", "Step up communication on"),
    ("Nâng cao hiệu quả công tác", "Make more effective the work on"),
    ("Rà soát, đánh giá việc thực hiện chính sách về", "Review the implementation of policies on"),
    ("Kiểm tra, giám sát công tác", "Inspect and monitor the work on"),
    ("Nhân rộng mô hình điểm về", "Replicate pilot models of"),
    ("Tăng cường phối hợp liên ngành về", "Strengthen inter-sectoral coordination on"),
    ("Tổ chức hội nghị sơ kết, tổng kết về", "Hold review conferences on"),
    ("Xây dựng cơ sở dữ liệu về", "Build a database on"),
    ("Hỗ trợ các địa phương triển khai", "Help localities carry out"),
)

# (Vietnamese, English) places that are not a district
PLACES: tuple[tuple[str, str], ...] = (
    ("trên địa bàn tỉnh", "across the province"),
    ("tại các xã biên giới", "in border communes"),
    ("tại vùng đồng bào dân tộc thiểu số", "in ethnic-minority areas"),
    ("tại các trường học", "in schools"),
    ("tại các khu công nghiệp", "in industrial parks"),
)

OUTPUTS: tuple[str, ...] = (
    "Báo cáo kết quả thực hiện hằng năm",
    "Kế hoạch được Ủy ban nhân dân tỉnh phê duyệt",
    "Tài liệu hướng dẫn, tài liệu tuyên truyền",
    "Cơ sở dữ liệu được cập nhật thường xuyên",
    "Mô hình điểm được đánh giá và nhân rộng",
    "Báo cáo sơ kết giữa kỳ",
    "Báo cáo tổng kết giai đoạn 2021 - 2025",
    "Danh sách đối tượng được hỗ trợ",
    "Kỷ yếu hội nghị, hội thảo",
)

# (id, Vietnamese, English, unit, baseline, target)
PLAN_INDICATORS: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("ti-le-ho-ngheo", "Tỷ lệ hộ nghèo", "Poverty rate", "%", 2.5, 1.5),
    ("lao-dong-co-viec-lam", "Số lao động được giải quyết việc làm", "Workers placed in jobs", "người", 0, 150000),
    ("ti-le-tiem-chung", "Tỷ lệ trẻ em được tiêm chủng đầy đủ", "Full child immunisation rate", "%", 95, 98),
    ("ti-le-ho-nuoc-sach", "Tỷ lệ hộ dân nông thôn dùng nước sạch", "Rural households with clean water", "%", 70, 85),
    ("nguoi-duoc-tap-huan", "Số lượt người được tập huấn", "People trained", "lượt người", 0, 50000),
)

# (Vietnamese, English, unit, plan indicator it feeds or None, (low, high) target)
TASK_INDICATORS: tuple[tuple[str, str, str, str | None, tuple[int, int]], ...] = (
    ("Số lớp tập huấn được tổ chức", "Training courses held", "lớp", None, (5, 60)),
    ("Số lượt người được tập huấn", "People trained", "lượt người", "nguoi-duoc-tap-huan", (100, 3000)),
    ("Số hộ thoát nghèo", "Households lifted out of poverty", "hộ", None, (50, 2000)),
    ("Số lao động được giải quyết việc làm", "Workers placed in jobs", "người", "lao-dong-co-viec-lam", (200, 8000)),
    ("Số mô hình được nhân rộng", "Models replicated", "mô hình", None, (2, 30)),
    ("Số hộ được cấp nước sạch", "Households supplied with clean water", "hộ", None, (100, 5000)),
    ("Số tin, bài tuyên truyền", "News items and articles published", "tin, bài", None, (20, 400)),
)


# --- Tasks ---------------------------------------------------------------------------


def _month_start(months_from_period_start: int) -> date:
    year, month = divmod(months_from_period_start, 12)
    return date(PERIOD_START.year + year, month + 1, 1)


def _month_end(months_from_period_start: int) -> date:
    return _month_start(months_from_period_start + 1) - timedelta(days=1)


PERIOD_MONTHS = (PERIOD_END.year - PERIOD_START.year) * 12 + PERIOD_END.month - PERIOD_START.month + 1


def _lead_for(sector_leads: tuple[str, ...], start: date, end: date) -> str:
    for owner_id in sector_leads:
        if OWNER_BY_ID[owner_id].can_work(start, end):
            return owner_id
    return "ubnd-tinh"


def _task_dates(rng: random.Random) -> tuple[date | None, date, date | None]:
    """(start as written, effective end, due) of a task; ``due`` None means recurring."""
    if rng.random() < 0.35:
        first = rng.choice((0, 0, 0, 12, 24))
        return (_month_start(first) if first else None), PERIOD_END, None
    first = rng.randrange(PERIOD_MONTHS - 1)
    due = _month_end(min(PERIOD_MONTHS - 1, first + rng.randrange(2, 25)))
    return (_month_start(first) if rng.random() < 0.7 else None), due, due


def _task_lines(rng: random.Random, task_id: str, objective: Objective, explicit_objective: bool) -> list[str]:
    """The YAML lines of one task (a block-sequence item at indent 2)."""
    topic, topic_en, topic_tag = rng.choice(TOPICS[objective.ascc])
    action, action_en = rng.choice(ACTIONS)
    sector, sector_en, sector_leads = rng.choice(SECTORS)
    written_start, end, due = _task_dates(rng)
    start = written_start or PERIOD_START

    district = rng.choice(DISTRICTS) if end <= DISTRICTS_END and rng.random() < 0.4 else None
    if district is not None:
        place = f"tại {district.name[0].lower()}{district.name[1:]}"
        place_en = f"in {district.name_en}"
    else:
        place, place_en = rng.choice(PLACES)
    title = f"{action} {topic} trong lĩnh vực {sector} {place}"
    title_en = f"{action_en} {topic_en} in {sector_en} {place_en}"

    lead = _lead_for(sector_leads, start, end)
    support = [
        partner.id
        for partner in rng.sample(PARTNERS, rng.randrange(0, 4))
        if partner.id != lead and partner.can_work(start, end)
    ]
    if district is not None:
        support.append(district.id)

    lines = [f"  - id: {task_id}"]
    if explicit_objective:
        lines.append(f"    objective: {objective.id}")
    lines += [
        f"    title: {scalar(title)}",
        f"    title_en: {scalar(title_en)}",
        f"    lead: {lead}",
    ]
    if support:
        lines.append(f"    support: {flow_list(support)}")
    if written_start is not None:
        lines.append(f"    start: {written_start.isoformat()}")
    lines.append(f"    due: {due.isoformat()}" if due is not None else "    recurring: yearly")
    lines += [
        f"    output: {scalar(rng.choice(OUTPUTS))}",
        f"    elements: {flow_list([rng.choice(objective.elements)])}",
        f"    tags: {flow_list([topic_tag])}",
    ]
    if rng.random() < 0.3:
        lines.append("    indicators:")
        chosen = rng.sample(TASK_INDICATORS, rng.randrange(1, 3))
        for number, (name, name_en, unit, feeds, (low, high)) in enumerate(chosen, start=1):
            lines += [
                f"      - id: {task_id}.ct{number}",
                f"        name: {scalar(name)}",
                f"        name_en: {scalar(name_en)}",
                f"        unit: {scalar(unit)}",
                "        baseline: 0",
                f"        target: {rng.randrange(low, high + 1)}",
            ]
            if feeds is not None:
                lines.append(f"        contributes_to: {feeds}")
    return lines


# --- Files ---------------------------------------------------------------------------


def owners_yaml() -> str:
    """The owners registry."""
    lines = ["# Synthetic owners registry (benchmarks/generate.py).", "owners:"]
    for owner in OWNERS:
        lines += [
            f"  - id: {owner.id}",
            f"    name: {scalar(owner.name)}",
            f"    name_en: {scalar(owner.name_en)}",
        ]
        if owner.short is not None:
            lines.append(f"    short: {scalar(owner.short)}")
        lines.append(f"    kind: {owner.kind}")
        if owner.active_from is not None:
            lines.append(f"    active_from: {owner.active_from.isoformat()}")
        if owner.active_until is not None:
            lines.append(f"    active_until: {owner.active_until.isoformat()}")
        if owner.successor is not None:
            lines.append(f"    successor: {owner.successor}")
    return "\n".join(lines) + "\n"


def plan_yaml() -> str:
    """The plan's metadata, objectives and plan-level indicators."""
    lines = [
        "# Synthetic plan (benchmarks/generate.py).",
        f"id: {PLAN_ID}",
        "title: "
        + scalar(
            "Kế hoạch hành động giai đoạn 2021 - 2025 thực hiện các mục tiêu "
            "của Cộng đồng Văn hóa - Xã hội ASEAN trên địa bàn tỉnh (dữ liệu mẫu)"
        ),
        "title_en: "
        + scalar("Action plan 2021-2025 for the ASEAN Socio-Cultural Community goals in the province (synthetic data)"),
        "language: vi",
        "document:",
        "  number: 999/KH-UBND",
        "  date: 2021-10-19",
        f"  issuer: {scalar('UBND tỉnh An Giang')}",
        "period:",
        f"  start: {PERIOD_START.isoformat()}",
        f"  end: {PERIOD_END.isoformat()}",
        "lead: so-ldtbxh",
        "reporting:",
        "  frequency: yearly",
        '  cutoff: "12-14"',
        "objectives:",
    ]
    for objective in OBJECTIVES:
        lines += [
            f"  - id: {objective.id}",
            f"    title: {scalar(objective.title)}",
            f"    title_en: {scalar(objective.title_en)}",
            f"    ascc: {objective.ascc}",
            f"    elements: {flow_list(list(objective.elements))}",
        ]
    lines.append("indicators:")
    for indicator_id, name, name_en, unit, baseline, target in PLAN_INDICATORS:
        lines += [
            f"  - id: {indicator_id}",
            f"    name: {scalar(name)}",
            f"    name_en: {scalar(name_en)}",
            f"    unit: {scalar(unit)}",
            f"    baseline: {baseline}",
            f"    target: {target}",
        ]
    return "\n".join(lines) + "\n"


def default_files(tasks: int) -> int:
    """One file per 200 tasks, and at least one per objective."""
    return max(len(OBJECTIVES), tasks // 200)


def generate(out_dir: Path, tasks: int, files: int | None = None, seed: int = 0) -> Path:
    """Write a workspace of ``tasks`` tasks over ``files`` task files into ``out_dir``
    and return the plan folder.  File ``i`` holds the tasks of objective ``i mod 5``;
    with fewer than five files each task names its objective instead."""
    files = default_files(tasks) if files is None else files
    if tasks < len(OBJECTIVES):
        raise ValueError(f"need at least {len(OBJECTIVES)} tasks (one per objective), got {tasks}")
    if not 1 <= files <= tasks:
        raise ValueError(f"need between 1 and {tasks} task files, got {files}")
    rng = random.Random(seed)
    plan_dir = out_dir / PLAN_ID
    tasks_dir = plan_dir / "tasks"
    tasks_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "owners.yaml").write_text(owners_yaml(), encoding="utf-8")
    (plan_dir / "plan.yaml").write_text(plan_yaml(), encoding="utf-8")

    per_objective = len(OBJECTIVES) > files
    numbers = {objective.id: 0 for objective in OBJECTIVES}
    per_file, extra = divmod(tasks, files)
    written = 0
    for index in range(files):
        file_objective = OBJECTIVES[index % len(OBJECTIVES)]
        part = index // len(OBJECTIVES) + 1
        lines = ["# Synthetic tasks (benchmarks/generate.py)."]
        if not per_objective:
            lines.append(f"objective: {file_objective.id}")
        lines.append("tasks:")
        for _ in range(per_file + (index < extra)):
            objective = OBJECTIVES[written % len(OBJECTIVES)] if per_objective else file_objective
            numbers[objective.id] += 1
            task_id = f"{objective.id}.{numbers[objective.id]}"
            lines += _task_lines(rng, task_id, objective, explicit_objective=per_objective)
            written += 1
        name = f"nhom-{index + 1:03d}.yaml" if per_objective else f"nhom-{file_objective.id[1:]}-{part:03d}.yaml"
        (tasks_dir / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return plan_dir


# --- Journal -------------------------------------------------------------------------

# The line format of aseanctl/journal.py (``FIELD_ORDER``, ``encode_update``), repeated here
# so that the generator does not import the package it benchmarks.
JOURNAL_FIELD_ORDER = (
    "id",
    "task",
    "date",
    "status",
    "progress",
    "health",
    "actual",
    "note",
    "evidence",
    "by",
    "author",
    "recorded",
    "corrects",
    "withdraws",
    "reason",
)
JOURNAL_GITATTRIBUTES = (
    "# aseanctl: journal lines are independent records; merging two branches keeps both sides' lines,\n"
    "# and every checkout (Windows' core.autocrlf too) keeps them LF-terminated, as aseanctl appends them\n"
    "*.jsonl text eol=lf merge=union\n"
)
CORRECTION_SHARE = 0.01  # one update in a hundred corrects an earlier one

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Lâm",
    "Châu",
)
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Hữu", "Thanh", "Ngọc", "Quốc", "Hoàng", "Thu", "Kim", "Đức", "Bảo")
GIVEN_NAMES = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phong",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trí",
    "Tú",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
)

# Notes by the status they go with; fields: n, m (numbers), year, pct, quarter
NOTES: dict[str, tuple[str, ...]] = {
    "not_started": (
        "Chưa triển khai do đang chờ phân bổ kinh phí năm {year}",
        "Đang xây dựng kế hoạch chi tiết, dự kiến triển khai trong quý {quarter} năm {year}",
        "Chưa triển khai; đã đề xuất đưa vào kế hoạch năm {year}",
        "Chờ ý kiến thống nhất của các cơ quan phối hợp",
    ),
    "in_progress": (
        "Đã tổ chức {n} lớp tập huấn cho {m} lượt người tham dự",
        "Đang triển khai tại {n} xã, phường, thị trấn; đạt khoảng {pct}% khối lượng công việc",
        "Đã ban hành văn bản hướng dẫn các địa phương triển khai thực hiện",
        "Đã hoàn thành khảo sát thực trạng, đang tổng hợp số liệu",
        "Đã đăng {m} tin, bài tuyên truyền trên cổng thông tin điện tử và đài phát thanh",
        "Đang phối hợp với các sở, ngành rà soát đối tượng thụ hưởng",
        "Đã tổ chức {n} đợt kiểm tra, giám sát; phát hiện và kiến nghị khắc phục {m} tồn tại",
        "Đã hỗ trợ {m} hộ gia đình; đang tiếp tục triển khai trong quý {quarter}",
        "Tiến độ chậm do ảnh hưởng của dịch COVID-19, đã điều chỉnh hình thức tổ chức sang trực tuyến",
        "Đang hoàn thiện dự thảo, lấy ý kiến góp ý của các cơ quan, đơn vị liên quan",
    ),
    "completed": (
        "Đã hoàn thành; báo cáo kết quả đã gửi Ủy ban nhân dân tỉnh",
        "Hoàn thành toàn bộ nội dung theo kế hoạch, vượt chỉ tiêu đề ra",
        "Đã tổ chức hội nghị tổng kết, đánh giá kết quả thực hiện với {m} đại biểu tham dự",
        "Đã hoàn thành và bàn giao sản phẩm cho cơ quan chủ trì",
    ),
    "recurring": (
        "Thực hiện thường xuyên; trong năm {year} đã tổ chức {n} đợt tuyên truyền",
        "Duy trì thực hiện hằng năm theo kế hoạch; đã lồng ghép vào các chương trình của ngành",
        "Tiếp tục triển khai thường xuyên, cập nhật số liệu định kỳ hằng quý",
        "Thực hiện thường xuyên; đã hỗ trợ {m} lượt người trong năm {year}",
    ),
    "suspended": (
        "Tạm dừng do chưa bố trí được kinh phí thực hiện",
        "Tạm dừng theo chỉ đạo của Ủy ban nhân dân tỉnh trong thời gian sắp xếp tổ chức bộ máy",
        "Tạm dừng để rà soát lại đối tượng và địa bàn triển khai",
    ),
    "change_requested": (
        "Đề nghị điều chỉnh thời gian hoàn thành sang năm {next_year}",
        "Đề nghị điều chỉnh chỉ tiêu cho phù hợp với tình hình thực tế của địa phương",
        "Đề nghị điều chỉnh cơ quan chủ trì sau khi sắp xếp đơn vị hành chính",
    ),
}
CORRECTION_NOTES = (
    "Đính chính số liệu báo cáo ngày {day}: tiến độ thực tế là {pct}%",
    "Đính chính báo cáo ngày {day} do nhập nhầm số liệu",
    "Cập nhật lại báo cáo ngày {day} theo số liệu đã được thẩm định",
)


def _ascii(text: str) -> str:
    """Vietnamese text without diacritics, lower case (for e-mail addresses)."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()


def _authors(rng: random.Random) -> dict[str, tuple[str, ...]]:
    """Two or three staff per owner, as ``Name <e-mail>``; every address distinct."""
    staff: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for owner in OWNERS:
        people = []
        for _ in range(rng.randrange(2, 4)):
            surname, middle, given = rng.choice(SURNAMES), rng.choice(MIDDLE_NAMES), rng.choice(GIVEN_NAMES)
            local = f"{_ascii(given)}.{_ascii(surname)[0]}{_ascii(middle)[0]}"
            address, number = local, 1
            while address in seen:
                number += 1
                address = f"{local}{number}"
            seen.add(address)
            people.append(f"{surname} {middle} {given} <{address}@example.org>")
        staff[owner.id] = tuple(people)
    return staff


def _effective_owner(owner_id: str, day: date) -> str:
    """Who holds ``owner_id``'s work on ``day``: itself or, after its end, its successor."""
    owner = OWNER_BY_ID[owner_id]
    while owner.active_until is not None and day > owner.active_until and owner.successor is not None:
        owner = OWNER_BY_ID[owner.successor]
    return owner.id


def _alive(owner_id: str, day: date) -> bool:
    owner = OWNER_BY_ID[owner_id]
    return (owner.active_from is None or owner.active_from <= day) and (
        owner.active_until is None or day <= owner.active_until
    )


@dataclass(frozen=True)
class _JournalTask:
    id: str
    lead: str
    support: tuple[str, ...]
    start: date
    end: date
    recurring: bool
    indicators: tuple[tuple[str, float], ...]  # (id, target)


_TASK_FIELD = re.compile(
    r"^(  - id|    lead|    support|    start|    due|      - id|        target): (.*)$", re.MULTILINE
)


def _read_tasks(plan_dir: Path) -> list[_JournalTask]:
    """The tasks of a plan folder, with what the journal needs of them.  The files are read
    as :func:`generate` writes them, line by line (ten times faster than a YAML parser)."""
    found: list[_JournalTask] = []
    for path in sorted((plan_dir / "tasks").glob("*.yaml")):
        tasks: list[dict[str, str]] = []
        indicators: list[list[tuple[str, float]]] = []
        indicator = ""
        for key, value in _TASK_FIELD.findall(path.read_text(encoding="utf-8")):
            if key == "  - id":  # a new task
                tasks.append({"id": value})
                indicators.append([])
            elif key == "      - id":
                indicator = value
            elif key == "        target":
                indicators[-1].append((indicator, float(value)))
            else:
                tasks[-1][key.strip()] = value
        for fields, measured in zip(tasks, indicators, strict=True):
            due = fields.get("due")
            found.append(
                _JournalTask(
                    id=fields["id"],
                    lead=fields["lead"],
                    support=tuple(part.strip() for part in fields.get("support", "").strip("[]").split(",") if part),
                    start=date.fromisoformat(fields["start"]) if "start" in fields else PERIOD_START,
                    end=date.fromisoformat(due) if due else PERIOD_END,
                    recurring=due is None,
                    indicators=tuple(measured),
                )
            )
    return found


def _plan_folder(workspace: Path) -> Path:
    if (workspace / PLAN_ID / "plan.yaml").is_file():
        return workspace / PLAN_ID
    plans = sorted(path.parent for path in workspace.glob("*/plan.yaml"))
    if len(plans) != 1:
        raise ValueError(f"expected one plan folder in {workspace}, found {len(plans)}")
    return plans[0]


def encode_update(record: dict[str, object]) -> str:
    """One journal line, as ``aseanctl update`` writes it."""
    ordered = {name: record[name] for name in JOURNAL_FIELD_ORDER if record.get(name) is not None}
    return json.dumps(ordered, ensure_ascii=False, separators=(", ", ": ")) + "\n"


class _Journal:
    """The updates of one journal as they are generated (records keep their datetimes aside)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.records: list[dict[str, object]] = []
        self.recorded: list[datetime] = []
        self.staff = _authors(rng)

    def new_id(self, recorded: datetime) -> str:
        while True:
            update_id = f"{recorded:%Y%m%d}-{self.rng.getrandbits(32):08x}"
            if update_id not in self.ids:
                self.ids.add(update_id)
                return update_id

    def note(self, status: str, day: date, progress: float | None) -> str:
        rng = self.rng
        return rng.choice(NOTES[status]).format(
            n=rng.randrange(2, 30),
            m=rng.randrange(20, 2000),
            year=day.year,
            next_year=min(day.year + 1, 2025),
            quarter=(day.month - 1) // 3 + 1,
            pct=int(progress if progress is not None else 0),
        )

    def evidence(self, by: str, day: date) -> str:
        short = OWNER_BY_ID[by].short or "UBND"
        kind = self.rng.choice(("BC", "BC", "BC", "CV", "KH"))
        return (
            f"{'Báo cáo' if kind == 'BC' else 'Công văn' if kind == 'CV' else 'Kế hoạch'} số "
            f"{self.rng.randrange(1, 900)}/{kind}-{short} ngày {day:%d/%m/%Y}"
        )

    def add(self, record: dict[str, object], recorded: datetime) -> None:
        record["id"] = self.new_id(recorded)
        record["recorded"] = f"{recorded:%Y-%m-%dT%H:%M:%SZ}"
        self.records.append(record)
        self.recorded.append(recorded)


def _recorded_after(rng: random.Random, day: date, earlier: datetime | None) -> datetime:
    """When an update about ``day`` is recorded: that day or up to three weeks later, in office
    hours (07:00-17:00 in Viet Nam, 00:00-10:00 UTC); always after ``earlier``."""
    lag = 0 if rng.random() < 0.4 else rng.randrange(1, 22)
    moment = datetime(day.year, day.month, day.day) + timedelta(days=lag, seconds=rng.randrange(0, 10 * 3600))
    if earlier is not None and moment <= earlier:
        moment = earlier + timedelta(minutes=rng.randrange(5, 240))
    return moment


def _update_dates(rng: random.Random, task: _JournalTask, count: int) -> list[date]:
    """``count`` days in the task's window, in order (some twice when there are more updates than days)."""
    window = (task.end - task.start).days + 1
    if count <= window:
        days = sorted(rng.sample(range(window), count))
    else:
        days = sorted(rng.randrange(window) for _ in range(count))
    return [task.start + timedelta(days=offset) for offset in days]


def _fate(rng: random.Random, task: _JournalTask) -> tuple[str, float]:
    """How the task ends up, and the progress it never passes before then."""
    if task.recurring:
        return ("recurring" if rng.random() < 0.9 else rng.choice(("suspended", "change_requested"))), 100.0
    if rng.random() < (0.75 if task.end < date(2025, 12, 1) else 0.45):
        return "completed", 95.0
    return rng.choices(("in_progress", "suspended", "change_requested"), (8, 1, 1))[0], float(rng.randrange(20, 95, 5))


def _next_state(
    rng: random.Random,
    task: _JournalTask,
    fate: tuple[str, float],
    last: bool,
    elapsed: float,
    state: tuple[str | None, float],
) -> tuple[str, float]:
    """The status and progress of the next update, from the previous ones."""
    (end, cap), (status, progress) = fate, state
    if task.recurring:
        # per cent of the plan period gone by: a yearly task reports how far along it is
        return (end if last else "recurring"), max(progress, float(min(100, round(100 * elapsed))))
    if last and end == "completed":
        return "completed", 100.0
    estimate = min(cap, 5 * round(100 * elapsed * rng.uniform(0.6, 1.15) / 5))
    if last and end in ("suspended", "change_requested"):
        return end, progress
    if status in ("suspended", "change_requested") or rng.random() < 0.04:
        # a pause or a request to change the task mid-way; progress stands still
        return rng.choice(("suspended", "change_requested", "in_progress", "in_progress")), progress
    progress = max(progress, float(estimate))
    return ("not_started" if progress == 0 else "in_progress"), progress


def _reporter(rng: random.Random, task: _JournalTask, day: date) -> str:
    """The lead of the day, and now and then a supporting agency instead."""
    by = _effective_owner(task.lead, day)
    if rng.random() < 0.08:
        helpers = [owner for owner in (_effective_owner(s, day) for s in task.support) if _alive(owner, day)]
        if helpers:
            by = rng.choice(helpers)
    return by


def _task_updates(journal: _Journal, task: _JournalTask, count: int) -> list[int]:
    """Append ``count`` updates of ``task`` in date order; their indexes in the journal."""
    rng = journal.rng
    window = (task.end - task.start).days + 1
    dates = _update_dates(rng, task, count)
    fate = _fate(rng, task)
    indexes: list[int] = []
    progress = 0.0
    status: str | None = None
    recorded: datetime | None = None
    for number, day in enumerate(dates):
        elapsed = ((day - task.start).days + 1) / window
        new_status, progress = _next_state(rng, task, fate, number == len(dates) - 1, elapsed, (status, progress))
        by = _reporter(rng, task, day)
        record: dict[str, object] = {"task": task.id, "date": day.isoformat()}
        if not (new_status == status == "in_progress" and rng.random() < 0.1):
            record["status"] = new_status  # an in-progress task's update may leave the status out
        if new_status == "completed" or not (task.recurring and rng.random() < 0.5):
            record["progress"] = int(progress)
        if new_status in ("in_progress", "change_requested", "suspended") and rng.random() < 0.5:
            behind = 100 * elapsed - progress
            record["health"] = (
                "red" if behind > 40 or new_status == "suspended" else ("amber" if behind > 20 else "green")
            )
        if task.indicators and progress > 0 and rng.random() < 0.5:
            record["actual"] = {ind: round(target * progress / 100) for ind, target in task.indicators}
        if rng.random() < 0.9:
            record["note"] = journal.note(new_status, day, progress)
        if rng.random() < 0.35 or "note" not in record:
            record["evidence"] = journal.evidence(by, day)
        record["by"] = by
        record["author"] = rng.choice(journal.staff[by])
        recorded = _recorded_after(rng, day, recorded)
        indexes.append(len(journal.records))
        journal.add(record, recorded)
        status = new_status
    return indexes


def _correct(journal: _Journal, task: _JournalTask, index: int, following: dict[str, object] | None) -> None:
    """Append a correction of update ``index``: the same task and day, a figure fixed upwards
    (never past the task's next report, so progress still never goes back)."""
    rng = journal.rng
    original = journal.records[index]
    fixed = dict(original)
    del fixed["id"], fixed["recorded"]
    fixed.pop("corrects", None)
    day = date.fromisoformat(str(original["date"]))
    progress = original.get("progress")
    if isinstance(progress, int) and original.get("status") not in ("completed",):
        ceiling = following.get("progress") if following is not None else None
        ceiling = min(95, ceiling if isinstance(ceiling, int) else progress + 20)
        progress = rng.randrange(progress, max(progress, ceiling) + 1)
        fixed["progress"] = progress
        if progress > 0 and fixed.get("status") == "not_started":
            fixed["status"] = "in_progress"
        if "actual" in fixed:
            fixed["actual"] = {ind: round(target * progress / 100) for ind, target in task.indicators}
    fixed["note"] = rng.choice(CORRECTION_NOTES).format(day=f"{day:%d/%m/%Y}", pct=progress if progress else 0)
    fixed["author"] = rng.choice(journal.staff[str(original["by"])])
    recorded = journal.recorded[index] + timedelta(days=rng.randrange(1, 30), minutes=rng.randrange(0, 600))
    fixed["corrects"] = original["id"]
    journal.add(fixed, recorded)


def generate_journal(workspace: Path, updates: int, seed: int = 0) -> list[Path]:
    """Write a journal of ``updates`` status updates into the plan folder of ``workspace``
    (a workspace written by :func:`generate`) and return the journal files.

    The journal is what ``aseanctl update`` would have written over 2021-2025: lines as
    ``encode_update`` writes them, in ``journal/<year>.jsonl`` by the year of the status
    date, each file in the order the updates were recorded.  Tasks get updates in
    proportion to how long they run; each task's updates fall inside its start..due window,
    progress never goes down, ``completed`` always comes with 100 %, and ``by`` is the lead
    (after any hand-over) or, now and then, a supporting owner active that day.  One update
    in a hundred corrects an earlier update of the same task, with the same date and a
    figure that keeps progress from going down.  Existing ``*.jsonl`` files are removed
    first (so ``updates=0`` leaves a plan without a journal).  The same arguments always
    give the same bytes."""
    if updates < 0:
        raise ValueError(f"need a number of updates >= 0, got {updates}")
    rng = random.Random(f"journal-{seed}")
    plan_dir = _plan_folder(workspace)
    tasks = _read_tasks(plan_dir)
    if not tasks and updates:
        raise ValueError(f"{plan_dir} has no tasks to report on")
    corrections = int(updates * CORRECTION_SHARE)
    primary = updates - corrections

    counts = [0] * len(tasks)
    if primary:
        weights = [(task.end - task.start).days + 1 for task in tasks]
        for index in rng.choices(range(len(tasks)), weights=weights, k=primary):
            counts[index] += 1
    journal = _Journal(rng)
    chains: list[tuple[_JournalTask, list[int]]] = []
    for task, count in zip(tasks, counts, strict=True):
        if count:
            chains.append((task, _task_updates(journal, task, count)))
    # corrections: of updates whose day no other update of the task shares
    records = journal.records
    candidates = [
        (task, chain, position)
        for task, chain in chains
        for position in range(len(chain))
        if all(
            records[chain[position]]["date"] != records[chain[other]]["date"]
            for other in (position - 1, position + 1)
            if 0 <= other < len(chain)
        )
    ]
    for task, chain, position in rng.sample(candidates, min(corrections, len(candidates))):
        following = next((records[i] for i in chain[position + 1 :] if "progress" in records[i]), None)
        _correct(journal, task, chain[position], following)

    folder = plan_dir / "journal"
    for old in folder.glob("*.jsonl"):
        old.unlink()
    if journal.records:
        folder.mkdir(exist_ok=True)
        (folder / ".gitattributes").write_text(JOURNAL_GITATTRIBUTES, encoding="utf-8")
    by_year: dict[str, list[tuple[datetime, str, str]]] = {}
    for record, recorded in zip(journal.records, journal.recorded, strict=True):
        by_year.setdefault(str(record["date"])[:4], []).append((recorded, str(record["id"]), encode_update(record)))
    written = []
    for year, lines in sorted(by_year.items()):
        path = folder / f"{year}.jsonl"
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            stream.writelines(line for _, _, line in sorted(lines))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="workspace folder to write (created if missing)")
    parser.add_argument("--tasks", type=int, required=True, help="number of tasks")
    parser.add_argument("--files", type=int, default=None, help="number of task files (default: max(5, tasks // 200))")
    parser.add_argument(
        "--updates", type=int, default=0, help="status updates to write into the plan's journal (default 0: no journal)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.updates < 0:
        parser.error(f"--updates must be at least 0, got {args.updates}")
    try:
        plan_dir = generate(args.out_dir, args.tasks, args.files, args.seed)
        if args.updates:
            generate_journal(args.out_dir, args.updates, args.seed)
    except ValueError as error:
        parser.error(str(error))
    print(plan_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
