"""The one catalogue of words people read, in Vietnamese and English.

Code names a message by key (``Msg("schema.missing", {"key": "lead"})``); the face
renders it in the user's language at the last moment.  Arguments that are themselves
``Msg`` values (type names, for instance) are rendered in the same language.
"""

from __future__ import annotations

import os
import string
import unicodedata
from functools import lru_cache
from typing import Any, Literal

from .problems import Msg

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")
DEFAULT_LANG: Lang = "vi"

# key: (Vietnamese, English)
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- reading files -------------------------------------------------------
    "file.too_large": (
        "tệp quá lớn ({size} byte; tối đa {limit} byte)",
        "file is too large ({size} bytes; the limit is {limit})",
    ),
    "file.unreadable": ("không đọc được tệp: {reason}", "cannot read the file: {reason}"),
    "file.utf16": ("tệp được lưu dạng UTF-16; hãy lưu lại dạng UTF-8", "the file is saved as UTF-16; save it as UTF-8"),
    "file.binary": (
        "tệp chứa byte NUL: đây không phải tệp văn bản YAML",
        "the file contains a NUL byte: it is not a YAML text file",
    ),
    "file.not_utf8": (
        "tệp không phải UTF-8 (byte {byte} không hợp lệ); hãy lưu lại dạng UTF-8",
        "the file is not UTF-8 (invalid byte {byte}); save it as UTF-8",
    ),
    "file.empty": ("tệp rỗng", "the file is empty"),
    "file.stray": (
        "tệp '{name}' không thuộc cấu trúc kế hoạch nên không được đọc (mong đợi {expected})",
        "'{name}' is not part of the plan layout and was not read (expected {expected})",
    ),
    "file.missing": ("thiếu tệp {name}", "{name} is missing"),
    # --- YAML ---------------------------------------------------------------
    "yaml.syntax": ("lỗi cú pháp YAML: {detail}", "YAML syntax error: {detail}"),
    "yaml.multi_document": (
        "tệp chỉ được chứa một tài liệu YAML (bỏ dòng '---' thứ hai)",
        "a plan file holds one YAML document (remove the second '---')",
    ),
    "yaml.too_deep": ("lồng nhau quá sâu (tối đa {limit} cấp)", "nested too deeply (at most {limit} levels)"),
    "yaml.complex_key": ("khóa phải là một giá trị đơn (văn bản)", "a key must be a plain scalar (text)"),
    "yaml.duplicate_key": (
        "khóa '{key}' lặp lại trong cùng một ánh xạ; YAML thông thường sẽ âm thầm giữ giá trị sau cùng",
        "key '{key}' appears twice in one mapping; plain YAML would silently keep the last",
    ),
    "yaml.alias": (
        "không cho phép bí danh YAML (*{name}) trong tệp kế hoạch: hãy viết đầy đủ giá trị",
        "YAML aliases (*{name}) are not allowed in plan files: write the value out",
    ),
    "yaml.anchor": (
        "không cho phép neo YAML (&{name}) trong tệp kế hoạch",
        "YAML anchors (&{name}) are not allowed in plan files",
    ),
    "yaml.tag": (
        "không cho phép thẻ YAML ({tag}) trong tệp kế hoạch",
        "YAML tags ({tag}) are not allowed in plan files",
    ),
    # --- schema ---------------------------------------------------------------
    "schema.unknown_key": ("trường '{key}' không tồn tại ở đây{hint}", "unknown field '{key}'{hint}"),
    "schema.allowed_keys": ("; các trường hợp lệ: {allowed}", "; allowed here: {allowed}"),
    "schema.did_you_mean": (" (ý bạn là '{suggestion}'?)", " (did you mean '{suggestion}'?)"),
    "schema.missing": ("thiếu trường bắt buộc '{key}'", "required field '{key}' is missing"),
    "schema.one_of": ("cần một trong các trường {keys}", "one of the fields {keys} is required"),
    "schema.type": ("cần {expected}, nhưng gặp {found}", "expected {expected}, found {found}"),
    "schema.quote_number": (
        "cần {expected}, nhưng YAML đọc thành số {found}: hãy đặt giá trị trong dấu nháy",
        "expected {expected}, but YAML reads a number {found}: put the value in quotes",
    ),
    "schema.enum": (
        "giá trị '{found}' không hợp lệ{hint}; cho phép: {allowed}",
        "'{found}' is not allowed{hint}; allowed: {allowed}",
    ),
    "schema.yaml11_word": (
        " ('{found}' là true/false trong YAML 1.1; aseanctl giữ nó là văn bản)",
        " ('{found}' is true/false in YAML 1.1; aseanctl keeps it as text)",
    ),
    "schema.date": ("cần ngày dạng YYYY-MM-DD, nhưng gặp '{found}'", "expected a date YYYY-MM-DD, found '{found}'"),
    "schema.month_day": (
        "cần ngày trong năm dạng MM-DD, nhưng gặp '{found}'",
        "expected a day of the year MM-DD, found '{found}'",
    ),
    "schema.id": (
        "mã '{found}' không hợp lệ: chỉ gồm chữ cái, chữ số, '.', '_', '-' (tối đa 64 ký tự, bắt đầu bằng chữ hoặc số)",
        "invalid identifier '{found}': letters, digits, '.', '_', '-' only (at most 64, starting with a "
        "letter or digit)",
    ),
    "schema.blank": ("văn bản không được để trống", "text must not be blank"),
    "schema.too_long": (
        "văn bản quá dài ({length} ký tự; tối đa {limit})",
        "text is too long ({length} {length:character|characters}; at most {limit})",
    ),
    "schema.control_char": (
        "văn bản chứa ký tự điều khiển U+{code:04X}",
        "text contains the control character U+{code:04X}",
    ),
    "schema.timestamp": (
        "cần thời điểm ISO 8601 có múi giờ (2026-11-29T08:30:00Z), nhưng gặp '{found}'",
        "expected an ISO 8601 time with its offset (2026-11-29T08:30:00Z), found '{found}'",
    ),
    "schema.number_range": ("giá trị {found} nằm ngoài khoảng {low}–{high}", "{found} is outside {low}–{high}"),
    "type.text": ("văn bản", "text"),
    "type.number": ("số", "a number"),
    "type.integer": ("số nguyên", "a whole number"),
    "type.bool": ("true/false", "true/false"),
    "type.null": ("giá trị rỗng", "nothing (null)"),
    "type.list": ("danh sách", "a list"),
    "type.mapping": ("ánh xạ (các cặp khóa: giá trị)", "a mapping (key: value pairs)"),
    "type.date": ("ngày YYYY-MM-DD", "a date YYYY-MM-DD"),
    "type.id": ("mã định danh", "an identifier"),
    # --- status words (stored in English, shown and accepted in both) -----------------
    "status.not_started": ("chưa triển khai", "not started"),
    "status.in_progress": ("đang triển khai", "in progress"),
    "status.completed": ("đã hoàn thành", "completed"),
    "status.recurring": ("thực hiện thường xuyên", "recurring"),
    "status.suspended": ("tạm dừng", "suspended"),
    "status.change_requested": ("đề nghị điều chỉnh", "change requested"),
    "health.green": ("tốt", "green"),
    "health.amber": ("có rủi ro", "amber"),
    "health.red": ("chậm, cần xử lý", "red"),
    # --- aseanctl update -------------------------------------------------------------------
    "update.unknown_task": (
        "không có nhiệm vụ '{id}' trong kế hoạch{hint}",
        "there is no task '{id}' in the plan{hint}",
    ),
    "update.bad_word": (
        "{option}: '{found}' không hợp lệ; dùng: {allowed}",
        "{option}: '{found}' is not valid; use: {allowed}",
    ),
    "update.bad_progress": (
        "--progress phải là số từ 0 đến 100, nhưng gặp '{found}'",
        "--progress must be a number from 0 to 100, found '{found}'",
    ),
    "update.bad_actual": (
        "--actual cần dạng CHỈ_TIÊU=GIÁ_TRỊ (số), nhưng gặp '{found}'",
        "--actual takes INDICATOR=VALUE (a number), found '{found}'",
    ),
    "update.bad_date": ("--date: '{found}' không phải ngày YYYY-MM-DD", "--date: '{found}' is not a date YYYY-MM-DD"),
    "update.date_outside": (
        "ngày {date} nằm ngoài thời kỳ của kế hoạch ({start} – {end})",
        "{date} is outside the plan period ({start} – {end})",
    ),
    "update.date_future": (
        "ngày {date} ở tương lai (hôm nay là {today})",
        "{date} is in the future (today is {today})",
    ),
    "update.no_author": (
        "không biết người ghi: dùng --author hoặc đặt 'git config user.name'",
        "who is recording this? use --author or set 'git config user.name'",
    ),
    "update.nothing": (
        "không có gì để ghi: cần ít nhất một trong --status, --progress, --actual, --health, --note, --evidence",
        "nothing to record: give at least one of --status, --progress, --actual, --health, --note, --evidence",
    ),
    "update.bad_text": (
        "{option}: văn bản rỗng, quá dài hoặc chứa ký tự điều khiển",
        "{option}: the text is blank, too long or holds control characters",
    ),
    "update.plan_broken": (
        "không đọc được {file}; hãy chạy 'aseanctl validate' và sửa trước",
        "{file} cannot be read; run 'aseanctl validate' and fix it first",
    ),
    "update.recorded": (
        "Đã ghi cập nhật {id} cho nhiệm vụ {task} vào {file}.",
        "Recorded update {id} for task {task} in {file}.",
    ),
    "update.committed": ("Đã commit: {message}", "Committed: {message}"),
    "update.not_git": (
        "--commit cần một kho git, nhưng {path} không nằm trong kho nào",
        "--commit needs a git repository, and {path} is not in one",
    ),
    "update.git_failed": ("git thất bại ({command}): {detail}", "git failed ({command}): {detail}"),
    # --- reports ------------------------------------------------------------------------
    "report.title": ("BÁO CÁO", "REPORT"),
    "report.assignment_title": ("PHỤ LỤC PHÂN CÔNG NHIỆM VỤ", "TASK ASSIGNMENT APPENDIX"),
    "report.owner_request_title": ("ĐỀ NGHỊ BÁO CÁO", "REQUEST FOR REPORT"),
    "report.subject.progress": (
        "Kết quả thực hiện Kế hoạch số {number} ngày {date} của {issuer} {period}",
        "Results of implementing Plan No. {number} of {date} of {issuer} {period}",
    ),
    "report.subject.assignment": (
        "Phân công thực hiện Kế hoạch số {number} ngày {date} của {issuer}",
        "Assignment of the tasks of Plan No. {number} of {date} of {issuer}",
    ),
    "report.subject.owner-request": (
        "Nội dung {owner} báo cáo về kết quả thực hiện Kế hoạch số {number} ngày {date} của {issuer} {period}",
        "What {owner} reports on Plan No. {number} of {date} of {issuer} {period}",
    ),
    "report.phrase.year": ("năm {year}", "in {year}"),
    "report.phrase.h1": ("6 tháng đầu năm {year}", "in the first half of {year}"),
    "report.phrase.h2": ("6 tháng cuối năm {year}", "in the second half of {year}"),
    "report.phrase.quarter": ("quý {quarter} năm {year}", "in quarter {quarter} of {year}"),
    "report.phrase.range": ("giai đoạn {first} - {last}", "for {first}–{last}"),
    "report.number": ("Số: {number}/{code}", "No. {number}/{code}"),
    "report.motto1": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "report.motto2": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "report.section.direction": ("CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI", "DIRECTION AND IMPLEMENTATION"),
    "report.section.results": ("KẾT QUẢ ĐẠT ĐƯỢC", "RESULTS"),
    "report.section.assessment": ("ĐÁNH GIÁ CHUNG", "OVERALL ASSESSMENT"),
    "report.section.strengths": ("Ưu điểm", "Strengths"),
    "report.section.limitations": ("Hạn chế", "Limitations"),
    "report.section.causes": ("Nguyên nhân", "Causes"),
    "report.section.difficulties": ("KHÓ KHĂN, VƯỚNG MẮC", "DIFFICULTIES"),
    "report.section.lessons": ("BÀI HỌC KINH NGHIỆM", "LESSONS LEARNED"),
    "report.section.next_steps": ("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "NEXT STEPS"),
    "report.section.proposals": ("ĐỀ XUẤT, KIẾN NGHỊ", "PROPOSALS"),
    "report.overdue": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "report.stale": ("Nhiệm vụ chưa có báo cáo trong kỳ", "Tasks with no report in the period"),
    "report.missing_owners": ("Cơ quan chưa báo cáo trong kỳ", "Agencies that have not reported for the period"),
    "report.none": ("Không có.", "None."),
    "report.to_fill": ("(Chưa có nội dung: bổ sung trong tệp {file}.)", "(Not written yet: add it to {file}.)"),
    "report.appendix": ("PHỤ LỤC: TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ", "APPENDIX: STATE OF EVERY TASK"),
    "report.col.stt": ("STT", "No."),
    "report.col.task": ("Nội dung nhiệm vụ", "Task"),
    "report.col.lead": ("Cơ quan chủ trì", "Lead"),
    "report.col.support": ("Cơ quan phối hợp", "Supporting"),
    "report.col.timing": ("Thời gian thực hiện", "Timing"),
    "report.col.status": ("Tình trạng", "Status"),
    "report.col.result": ("Kết quả", "Result"),
    "report.col.output": ("Sản phẩm", "Output"),
    "report.col.funding": ("Nguồn kinh phí", "Funding"),
    "report.col.note": ("Ghi chú", "Note"),
    "report.col.role": ("Vai trò", "Role"),
    "report.col.progress": ("Tiến độ", "Progress"),
    "report.col.last_report": ("Báo cáo gần nhất", "Last report"),
    "report.col.this_period": ("Kết quả trong kỳ", "Results this period"),
    "report.col.difficulties": ("Khó khăn, vướng mắc", "Difficulties"),
    "report.col.proposals": ("Đề xuất", "Proposals"),
    "report.recipients": ("Nơi nhận:", "Recipients:"),
    "report.chart_title": ("Tiến độ bình quân theo nhóm nhiệm vụ (%)", "Mean progress by task group (%)"),
    "report.weighting": (
        "bình quân không trọng số: mỗi nhiệm vụ tính như nhau; đã hoàn thành = 100%, chưa báo cáo = 0%",
        "unweighted mean: each task counts once; completed = 100%, no report = 0%",
    ),
    "report.role.lead": ("Chủ trì", "Lead"),
    "report.role.support": ("Phối hợp", "Supporting"),
    "report.assumed": (
        "(*) Cơ quan phối hợp là giả định, suy ra từ lĩnh vực của nhiệm vụ; văn bản kế hoạch chỉ nêu cơ quan chủ trì.",
        "(*) Supporting agencies are assumed from the task's field; the plan names only the lead.",
    ),
    "report.task_groups": ("Nhóm nhiệm vụ", "Task group"),
    "report.tasks": ("Số nhiệm vụ", "Tasks"),
    "report.source": (
        "Số liệu tính đến ngày {as_of} từ nhật ký cập nhật của kế hoạch.",
        "Figures as of {as_of}, from the plan's journal of updates.",
    ),
    "report.timing.yearly": ("Hằng năm ({years})", "Every year ({years})"),
    "report.written": ("Đã ghi báo cáo vào {file}.", "Wrote the report to {file}."),
    "report.output_is_folder": (
        "'{file}' là một thư mục: hãy cho tên tệp, ví dụ -o {example}",
        "'{file}' is a folder: give a file name, e.g. -o {example}",
    ),
    "report.output_read_only": (
        "tệp '{file}' chỉ cho phép đọc: báo cáo cũ được giữ nguyên",
        "'{file}' is read-only: the report there is left as it is",
    ),
    "report.write_failed": (
        "không ghi được báo cáo vào '{file}': {reason}; tệp cũ (nếu có) được giữ nguyên",
        "could not write the report to '{file}': {reason}; any earlier file there is left as it is",
    ),
    "report.bad_period": (
        "--period: '{found}' không phải kỳ báo cáo của kế hoạch (ví dụ: 2024, 2024-H1, 2024-Q3, 2021..2025)",
        "--period: '{found}' is not a reporting period of the plan (e.g. 2024, 2024-H1, 2024-Q3, 2021..2025)",
    ),
    "report.bad_kind": (
        "--kind: '{found}' không hợp lệ; dùng: {allowed}",
        "--kind: '{found}' is not valid; use: {allowed}",
    ),
    "report.no_plan_id": (
        "không có kế hoạch '{id}' trong thư mục kế hoạch{hint}",
        "there is no plan '{id}' in the workspace{hint}",
    ),
    "report.owner_required": ("--kind owner-request cần --owner", "--kind owner-request needs --owner"),
    "report.template_missing": ("không tìm thấy mẫu '{name}'", "no template '{name}'"),
    "report.template_error": ("lỗi trong mẫu {file}:{line}: {detail}", "error in template {file}:{line}: {detail}"),
    "report.docx_stdout": ("không thể ghi Word ra stdout: dùng -o TỆP", "Word cannot go to stdout: use -o FILE"),
    "report.inputs_broken": (
        "tệp đầu vào của báo cáo có lỗi: {file}; hãy chạy 'aseanctl validate'",
        "a report input has problems: {file}; run 'aseanctl validate'",
    ),
    # --- the journal -----------------------------------------------------------------
    "journal.torn_tail": (
        "dòng cuối chưa hoàn chỉnh (lần ghi bị ngắt) nên bị bỏ qua; lần cập nhật sau sẽ xóa nó",
        "the last line is incomplete (an interrupted write) and is ignored; the next update removes it",
    ),
    "journal.not_utf8": ("dòng không phải UTF-8", "the line is not UTF-8"),
    "journal.not_json": ("dòng không phải JSON hợp lệ: {detail}", "the line is not valid JSON: {detail}"),
    "journal.unknown_task": (
        "kế hoạch '{plan}' không có nhiệm vụ '{id}'{hint}",
        "plan '{plan}' has no task '{id}'{hint}",
    ),
    "journal.unknown_actual": (
        "nhiệm vụ '{task}' không có chỉ tiêu '{id}'{hint}",
        "task '{task}' has no indicator '{id}'{hint}",
    ),
    "journal.future": (
        "ngày báo cáo {date} muộn hơn lúc ghi nhận ({recorded})",
        "the status date {date} is later than the moment it was recorded ({recorded})",
    ),
    "journal.corrects_unknown": ("không có cập nhật '{id}' để đính chính", "there is no update '{id}' to correct"),
    "journal.corrects_self": ("cập nhật không thể đính chính chính nó", "an update cannot correct itself"),
    "journal.corrects_other_task": (
        "cập nhật '{id}' thuộc nhiệm vụ '{other}', không phải '{task}'",
        "update '{id}' is about task '{other}', not '{task}'",
    ),
    "journal.corrected_twice": (
        "cập nhật '{id}' đã được đính chính bởi '{first}'",
        "update '{id}' is already corrected by '{first}'",
    ),
    "journal.progress_backwards": (
        "tiến độ giảm từ {before}% ({before_date}) xuống {after}%",
        "progress goes back from {before}% ({before_date}) to {after}%",
    ),
    "journal.completed_incomplete": (
        "trạng thái 'đã hoàn thành' nhưng tiến độ chỉ {progress}%",
        "status 'completed' but progress is only {progress}%",
    ),
    "kind.update": ("cập nhật", "update"),
    # --- the views: aseanctl status, show, log, owners -----------------------------------
    "view.bad_date": ("{option}: '{found}' không phải ngày YYYY-MM-DD", "{option}: '{found}' is not a date YYYY-MM-DD"),
    "view.unknown_objective": (
        "không có nhóm nhiệm vụ '{id}' trong kế hoạch{hint}",
        "there is no objective '{id}' in the plan{hint}",
    ),
    "view.plan_problems": (
        "kế hoạch có {count} lỗi nên có thể thiếu dữ liệu; hãy chạy 'aseanctl validate'",
        "the plan has {count} {count:problem|problems}, so some of it may be missing; run 'aseanctl validate'",
    ),
    "view.status_heading": ("Tình hình thực hiện đến ngày {date}", "Status as of {date}"),
    "view.no_tasks": ("Không có nhiệm vụ nào phù hợp.", "No tasks match."),
    "view.no_updates": ("Không có cập nhật nào phù hợp.", "No updates match."),
    "view.no_owners": ("Không có cơ quan nào phù hợp.", "No owners match."),
    "view.col.id": ("Mã", "ID"),
    "view.col.task": ("Nhiệm vụ", "Task"),
    "view.col.lead": ("Chủ trì", "Lead"),
    "view.col.status": ("Trạng thái", "Status"),
    "view.col.progress": ("Tiến độ", "Progress"),
    "view.col.progress_short": ("Tiến độ", "Done"),
    "view.col.due": ("Thời hạn", "Due"),
    "view.col.last_report": ("Báo cáo gần nhất", "Last report"),
    "view.col.date": ("Ngày", "Date"),
    "view.col.by": ("Đơn vị", "By"),
    "view.col.details": ("Nội dung", "Details"),
    "view.col.owner": ("Cơ quan", "Owner"),
    "view.col.name": ("Tên", "Name"),
    "view.col.led": ("Chủ trì", "Leads"),
    "view.col.supported": ("Phối hợp", "Supports"),
    "view.col.completed": ("Hoàn thành", "Done"),
    "view.col.overdue": ("Quá hạn", "Overdue"),
    "view.col.reported": ("Kỳ này", "This period"),
    "view.flag.overdue": ("quá hạn", "overdue"),
    "view.flag.due_soon": ("sắp đến hạn", "due soon"),
    "view.flag.stale": ("chưa báo cáo", "no report"),
    "view.yearly": ("hằng năm", "yearly"),
    "view.group_total": (
        "{tasks} nhiệm vụ · {completed} hoàn thành · {overdue} quá hạn · tiến độ bình quân {progress}% "
        "(không trọng số)",
        "{tasks} {tasks:task|tasks} · {completed} completed · {overdue} overdue · average progress {progress}% "
        "(unweighted)",
    ),
    "view.all_total": ("Tất cả: {summary}", "All: {summary}"),
    "view.weighting": (
        "Tiến độ bình quân không trọng số: mỗi nhiệm vụ tính một lần.",
        "Average progress is unweighted: each task counts once.",
    ),
    "view.evidence": ("Văn bản: {evidence}", "Evidence: {evidence}"),
    "view.health": ("Đánh giá: {health}", "Health: {health}"),
    "view.actual": ("Kết quả: {values}", "Reached: {values}"),
    "view.corrects": ("đính chính {id}", "corrects {id}"),
    "view.superseded": ("đã được đính chính bởi {id}", "superseded by {id}"),
    "view.update_count": ("{count} cập nhật.", "{count} {count:update|updates}."),
    "view.taken_over": ("(tiếp nhận từ {id})", "(taken over from {id})"),
    "view.timeline": ("Diễn biến", "Timeline"),
    "view.period": ("Kỳ báo cáo {label}: {start} – {end}", "Reporting period {label}: {start} – {end}"),
    "view.indicator_values": ("đạt {actual} / mục tiêu {target}{unit}", "reached {actual} of {target}{unit}"),
    "view.field.plan": ("Kế hoạch", "Plan"),
    "view.field.objective": ("Nhóm nhiệm vụ", "Objective"),
    "view.field.lead": ("Chủ trì", "Lead"),
    "view.field.support": ("Phối hợp", "Supporting"),
    "view.field.start": ("Bắt đầu", "Start"),
    "view.field.due": ("Thời hạn", "Due"),
    "view.field.output": ("Sản phẩm", "Output"),
    "view.field.status": ("Trạng thái", "Status"),
    "view.field.progress": ("Tiến độ", "Progress"),
    "view.field.health": ("Đánh giá", "Health"),
    "view.field.last_report": ("Báo cáo gần nhất", "Last report"),
    "view.field.indicator": ("Chỉ tiêu", "Indicator"),
    "view.field.elements": ("Yếu tố ASCC", "ASCC elements"),
    "view.field.tags": ("Nhãn", "Tags"),
    "view.field.assumption": ("Giả định", "Assumption"),
    # --- references and meaning ---------------------------------------------
    "ref.duplicate_id": (
        "mã {kind} '{id}' bị trùng; đã khai báo tại {first}",
        "{kind} id '{id}' is used twice; first declared at {first}",
    ),
    "ref.unknown_owner": ("không có cơ quan '{id}' trong owners.yaml{hint}", "no owner '{id}' in owners.yaml{hint}"),
    "ref.unknown_objective": (
        "kế hoạch '{plan}' không có nhóm nhiệm vụ '{id}'{hint}",
        "plan '{plan}' has no objective '{id}'{hint}",
    ),
    "ref.unknown_indicator": (
        "kế hoạch '{plan}' không có chỉ tiêu '{id}'{hint}",
        "plan '{plan}' has no indicator '{id}'{hint}",
    ),
    "ref.successor_cycle": ("chuỗi cơ quan kế nhiệm tạo thành vòng lặp: {chain}", "the successor chain loops: {chain}"),
    "ref.successor_self": ("cơ quan không thể kế nhiệm chính nó", "an owner cannot succeed itself"),
    "ref.support_is_lead": (
        "cơ quan chủ trì '{id}' cũng nằm trong danh sách phối hợp",
        "the lead '{id}' is also listed as supporting",
    ),
    "ref.support_repeated": ("cơ quan phối hợp '{id}' được liệt kê hai lần", "supporting owner '{id}' is listed twice"),
    "ref.empty_objective": ("nhóm nhiệm vụ '{id}' chưa có nhiệm vụ nào", "objective '{id}' has no tasks"),
    "kind.owner": ("cơ quan", "owner"),
    "kind.task": ("nhiệm vụ", "task"),
    "kind.objective": ("nhóm nhiệm vụ", "objective"),
    "kind.indicator": ("chỉ tiêu", "indicator"),
    "kind.plan": ("kế hoạch", "plan"),
    # --- dates --------------------------------------------------------------------
    "date.order": (
        "'{first}' ({first_date}) phải không muộn hơn '{second}' ({second_date})",
        "'{first}' ({first_date}) must not be after '{second}' ({second_date})",
    ),
    "date.outside_period": (
        "'{field}' ({date}) nằm ngoài thời kỳ của kế hoạch ({start} – {end})",
        "'{field}' ({date}) falls outside the plan period ({start} – {end})",
    ),
    "owner.not_yet": (
        "cơ quan '{id}' chỉ hoạt động từ {active_from}, nhưng nhiệm vụ bắt đầu {start}",
        "owner '{id}' exists only from {active_from}, but the task starts {start}",
    ),
    "owner.ended": (
        "cơ quan '{id}' chấm dứt hoạt động sau {active_until} và không có cơ quan kế nhiệm, nhưng nhiệm vụ "
        "kéo dài đến {end}",
        "owner '{id}' ends after {active_until} with no successor, but the task runs until {end}",
    ),
    "owner.gap": (
        "cơ quan kế nhiệm '{successor}' của '{id}' bắt đầu {active_from}, không tiếp nối ngay sau {active_until}",
        "successor '{successor}' of '{id}' starts {active_from}, not right after {active_until}",
    ),
    # --- ASCC ---------------------------------------------------------------------
    "ascc.unknown_element": (
        "'{code}' không phải yếu tố của Kế hoạch tổng thể Cộng đồng VH-XH ASEAN 2025 (hợp lệ: {allowed})",
        "'{code}' is not an ASCC Blueprint 2025 element (valid: {allowed})",
    ),
    "ascc.wrong_characteristic": (
        "yếu tố '{code}' không thuộc đặc điểm '{characteristic}' của nhóm nhiệm vụ '{objective}'",
        "element '{code}' does not belong to characteristic '{characteristic}' of objective '{objective}'",
    ),
    # --- command line ---------------------------------------------------------------
    "cli.no_plan": (
        "không tìm thấy kế hoạch từ '{start}': cần một thư mục chứa owners.yaml và các thư mục kế hoạch có "
        "plan.yaml (dùng --plan DIR hoặc ASEANCTL_PLAN)",
        "no plan found from '{start}': expected a folder with owners.yaml and plan folders holding plan.yaml "
        "(use --plan DIR or ASEANCTL_PLAN)",
    ),
    "cli.path_missing": ("không có đường dẫn '{path}'", "no such path '{path}'"),
    "cli.path_outside": ("'{path}' không nằm trong kế hoạch {root}", "'{path}' is not inside the plan at {root}"),
    "cli.summary_ok": (
        "Kế hoạch hợp lệ: {files} tệp, {plans} kế hoạch, {tasks} nhiệm vụ, {owners} cơ quan{warnings}.",
        "The plan is valid: {files} {files:file|files}, {plans} {plans:plan|plans}, {tasks} {tasks:task|tasks}, "
        "{owners} {owners:owner|owners}{warnings}.",
    ),
    "cli.summary_ok_paths": (
        "Không có lỗi trong {paths} đường dẫn đã chọn{warnings}.",
        "No errors in the {paths} {paths:path|paths} given{warnings}.",
    ),
    "cli.summary_warnings": (", {count} cảnh báo", ", {count} {count:warning|warnings}"),
    "cli.summary_bad": (
        "{errors} lỗi, {warnings} cảnh báo trong {files} tệp.",
        "{errors} {errors:error|errors}, {warnings} {warnings:warning|warnings} in {files} {files:file|files}.",
    ),
    "cli.more_problems": (
        "… và {count} vấn đề khác không hiển thị (dùng --format json để xem tất cả)",
        "… and {count} more {count:problem|problems} not shown (use --format json to see them all)",
    ),
    "cli.more_annotations": (
        "… và {count} vấn đề khác (xem nhật ký)",
        "… and {count} more {count:problem|problems} (see the log)",
    ),
    "cli.interrupted": ("đã dừng theo yêu cầu", "interrupted"),
    "severity.error": ("lỗi", "error"),
    "severity.warning": ("cảnh báo", "warning"),
    # --- rule summaries (the full English documentation is each rule's docstring) ---
    "rule.file-read": (
        "Tệp kế hoạch phải là văn bản UTF-8, không rỗng, không nhị phân, tối đa 20 MiB; phải có owners.yaml.",
        "A plan file must be UTF-8 text, not empty, not binary, at most 20 MiB; owners.yaml must exist.",
    ),
    "rule.yaml-syntax": (
        "Tệp phải là YAML hợp lệ, một tài liệu, lồng tối đa 50 cấp, khóa là văn bản.",
        "The file must be well-formed YAML: one document, at most 50 levels deep, text keys.",
    ),
    "rule.yaml-feature": (
        "Không dùng neo (&), bí danh (*) hay thẻ (!!) của YAML.",
        "YAML anchors (&), aliases (*) and tags (!!) are refused.",
    ),
    "rule.duplicate-key": (
        "Mỗi khóa chỉ xuất hiện một lần trong một ánh xạ.",
        "A key may appear only once in a mapping.",
    ),
    "rule.schema": (
        "Mỗi giá trị đúng cấu trúc: đủ trường bắt buộc, không có trường lạ, đúng kiểu, ngày YYYY-MM-DD.",
        "Every value has its documented shape: required fields, no unknown fields, right types, YYYY-MM-DD dates.",
    ),
    "rule.control-character": (
        "Văn bản kế hoạch không chứa ký tự điều khiển hay ký tự đảo chiều vô hình (cảnh báo).",
        "Plan text holds no control characters or invisible direction controls (warning).",
    ),
    "text.control": (
        "trường '{field}' chứa ký tự điều khiển hoặc đảo chiều: {chars}",
        "field '{field}' holds control or direction characters: {chars}",
    ),
    "rule.template-syntax": (
        "Mẫu báo cáo của kho kế hoạch phải là mẫu Jinja đúng cú pháp và là tệp thật (không phải liên kết).",
        "A report template of the plan repository is well-formed Jinja and a real file (not a link).",
    ),
    "rule.template-unsafe": (
        "Mẫu báo cáo không được chạm tới phần bên trong của Python (mẫu chạy trong vùng cách ly).",
        "A report template never reaches Python's internals (templates render in a sandbox).",
    ),
    "rule.stray-file": (
        "Tệp YAML nằm ngoài cấu trúc kế hoạch thì không được đọc (cảnh báo).",
        "A YAML file outside the plan layout is not read (warning).",
    ),
    "rule.duplicate-id": (
        "Mã định danh không được trùng: cơ quan, nhiệm vụ, kế hoạch trong toàn bộ; nhóm và chỉ tiêu trong kế hoạch.",
        "Ids are unique: owners, tasks and plans across the workspace; objectives and indicators within a plan.",
    ),
    "rule.unknown-owner": (
        "Mọi cơ quan được nêu (chủ trì, phối hợp, kế nhiệm) phải có trong owners.yaml.",
        "Every owner named (lead, support, successor) must be in owners.yaml.",
    ),
    "rule.unknown-objective": (
        "Mỗi nhiệm vụ thuộc một nhóm nhiệm vụ có trong plan.yaml của kế hoạch.",
        "Every task belongs to an objective declared in its plan.yaml.",
    ),
    "rule.unknown-indicator": (
        "contributes_to của chỉ tiêu nhiệm vụ phải là chỉ tiêu của kế hoạch.",
        "A task indicator's contributes_to must name a plan indicator.",
    ),
    "rule.successor-cycle": ("Chuỗi cơ quan kế nhiệm không được tạo vòng lặp.", "Successor chains must not loop."),
    "rule.date-order": (
        "Ngày bắt đầu không muộn hơn ngày kết thúc (kế hoạch, nhiệm vụ, cơ quan).",
        "Start dates are not after end dates (plan period, task, owner life span).",
    ),
    "rule.date-outside-period": (
        "Ngày của nhiệm vụ nằm trong thời kỳ của kế hoạch.",
        "Task dates fall inside the plan period.",
    ),
    "rule.owner-inactive": (
        "Cơ quan của nhiệm vụ còn hoạt động suốt thời gian thực hiện, hoặc có cơ quan kế nhiệm (cảnh báo).",
        "A task's owners exist for its whole window, or hand over to a successor (warning).",
    ),
    "rule.ascc-code": (
        "Mã ASCC hợp lệ và thống nhất: yếu tố thuộc đúng đặc điểm của nhóm nhiệm vụ.",
        "ASCC codes agree: elements belong to their objective's characteristic.",
    ),
    "rule.support-list": (
        "Danh sách phối hợp không lặp lại cơ quan và không chứa cơ quan chủ trì (cảnh báo).",
        "The support list names each owner once and not the lead (warning).",
    ),
    "rule.journal-syntax": (
        "Mỗi dòng nhật ký là một đối tượng JSON UTF-8, mỗi khóa một lần.",
        "Each journal line is one UTF-8 JSON object, each key once.",
    ),
    "rule.journal-torn-line": (
        "Dòng cuối dở dang của nhật ký (ghi bị ngắt) bị bỏ qua và được xóa ở lần cập nhật sau (cảnh báo).",
        "A torn last journal line (an interrupted write) is ignored and removed by the next update (warning).",
    ),
    "rule.unknown-task": (
        "Mỗi cập nhật trong nhật ký thuộc về một nhiệm vụ có trong kế hoạch.",
        "Every journal update is about a task of its plan.",
    ),
    "rule.journal-date": (
        "Ngày của cập nhật nằm trong thời kỳ kế hoạch và không muộn hơn lúc ghi nhận.",
        "An update's date is inside the plan period and not after it was recorded.",
    ),
    "rule.journal-correction": (
        "Đính chính trỏ tới một cập nhật có thật, cùng nhiệm vụ, và mỗi cập nhật chỉ được đính chính một lần.",
        "A correction points at an existing update of the same task; an update is corrected once.",
    ),
    "rule.progress-backwards": (
        "Tiến độ của nhiệm vụ không giảm theo thời gian (cảnh báo).",
        "A task's progress does not go down over time (warning).",
    ),
    "rule.completed-incomplete": (
        "'Đã hoàn thành' đi kèm tiến độ dưới 100% (cảnh báo).",
        "'Completed' with progress under 100% (warning).",
    ),
    "rule.empty-objective": (
        "Mỗi nhóm nhiệm vụ có ít nhất một nhiệm vụ (cảnh báo).",
        "Every objective has at least one task (warning).",
    ),
    # --- command-line values (aseanctl/cli/params.py) --------------------------------
    "cli.day_out_of_range": (
        "{option}: ngày '{found}' nằm ngoài khoảng aseanctl làm việc ({first} – {last})",
        "{option}: '{found}' is outside the days aseanctl works with ({first} – {last})",
    ),
    "cli.bad_count": (
        "{option}: '{found}' không phải số nguyên từ 0 đến {high}",
        "{option}: '{found}' is not a whole number from 0 to {high}",
    ),
    "cli.unknown_rule": ("không có quy tắc '{id}'{hint}", "there is no rule '{id}'{hint}"),
    "cli.no_such_option": (
        "không có tùy chọn {option}{hint}; xem 'aseanctl {command} -h'",
        "no such option {option}{hint}; see 'aseanctl {command} -h'",
    ),
    "cli.missing": ("thiếu {option}; xem 'aseanctl {command} -h'", "{option} is missing; see 'aseanctl {command} -h'"),
    "cli.needs_value": ("{option} cần một giá trị", "{option} needs a value"),
    "cli.takes_no_value": ("{option} không nhận giá trị", "{option} does not take a value"),
    "cli.extra_arguments": (
        "thừa tham số: {found}; xem 'aseanctl {command} -h'",
        "unexpected argument: {found}; see 'aseanctl {command} -h'",
    ),
    "cli.not_utf8": (
        "tham số dòng lệnh '{found}' không phải văn bản UTF-8",
        "the command-line argument '{found}' is not UTF-8 text",
    ),
    # --- hostile repositories (docs/security.md) ---
    "report.template_symlink": (
        "mẫu báo cáo '{file}' là liên kết tượng trưng: mẫu phải là tệp trong kho kế hoạch; "
        "không có báo cáo nào được ghi",
        "the report template '{file}' is a symbolic link: a template must be a file of the plan repository; "
        "no report was written",
    ),
    "template.symlink": (
        "mẫu báo cáo là liên kết tượng trưng: mẫu phải là tệp trong kho kế hoạch",
        "the report template is a symbolic link: a template must be a file of the plan repository",
    ),
    "report.output_special": (
        "'{file}' trong kho kế hoạch không phải tệp thường (FIFO, thiết bị …): không ghi báo cáo vào đó; "
        "xóa nó hoặc dùng -o TỆP",
        "'{file}' in the plan repository is not a regular file (a FIFO, a device …): the report is not "
        "written there; remove it or use -o FILE",
    ),
    "report.output_symlink": (
        "không ghi báo cáo qua liên kết tượng trưng '{file}' trong kho kế hoạch; xóa liên kết hoặc dùng -o TỆP",
        "will not write the report through the symbolic link '{file}' in the plan repository; "
        "remove the link or use -o FILE",
    ),
    # --- report templates: the sandbox and the static check (aseanctl/report/render.py, templatecheck.py)
    "report.template_unsafe": (
        "mẫu {file}:{line} tìm cách ra khỏi vùng cách ly (sandbox) của mẫu báo cáo: {detail}. Mẫu chỉ được đọc"
        " số liệu của báo cáo, không được chạy mã Python; không có gì được chạy và không có báo cáo nào được ghi",
        "template {file}:{line} tries to leave the report templates' sandbox: {detail}. A template may read the"
        " report's values, never run Python; nothing was run and no report was written",
    ),
    "report.template_syntax": ("lỗi cú pháp Jinja trong mẫu: {detail}", "Jinja syntax error in the template: {detail}"),
    "report.template_forbidden": (
        "mẫu báo cáo không được dùng '{name}': mẫu chạy trong vùng cách ly (sandbox), không chạm được tới phần"
        " bên trong của Python",
        "'{name}' is not allowed in a report template: templates render in a sandbox that keeps them away from"
        " Python's internals",
    ),
    # --- console encodings (console.prepare_streams) ---
    "console.legacy": (
        "bảng mã của cửa sổ lệnh ({encoding}) không hiển thị được tiếng Việt: chữ thiếu được ghi dạng \\u1ebf; "
        "hãy chuyển sang UTF-8 ('chcp 65001' trên Windows, hoặc đặt PYTHONUTF8=1)",
        "this console's encoding ({encoding}) cannot show Vietnamese: letters it lacks are written as \\u1ebf; "
        "switch it to UTF-8 ('chcp 65001' on Windows, or set PYTHONUTF8=1)",
    ),
    # --- init: a new plan repository, a successor plan (aseanctl/scaffold/, cli/init.py) ------
    "init.marker": ("CẦN ĐIỀN", "TO FILL IN"),
    "init.not_empty": (
        "thư mục '{path}' đã có nội dung ({found} …): aseanctl init không ghi đè lên tệp nào; hãy chọn một"
        " thư mục mới hoặc thư mục trống",
        "'{path}' is not empty ({found} …): aseanctl init never writes over a file; choose a new or empty folder",
    ),
    "init.not_a_folder": ("'{path}' không phải là thư mục", "'{path}' is not a folder"),
    "init.write_failed": ("không ghi được {path}: {reason}", "cannot write {path}: {reason}"),
    "init.bad_id": (
        "mã kế hoạch '{id}' không hợp lệ: chỉ gồm chữ, số, '.', '_', '-' (tối đa 64 ký tự); dùng --id MÃ",
        "plan id '{id}' is not valid: letters, digits, '.', '_' and '-' only (at most 64); use --id ID",
    ),
    "init.id_taken": (
        "đã có kế hoạch '{id}' trong {root}; dùng --id MÃ khác",
        "{root} already holds a plan '{id}'; choose another with --id ID",
    ),
    "init.no_plan": (
        "không có kế hoạch '{plan}' trong {root}{hint}",
        "no plan '{plan}' in {root}{hint}",
    ),
    "init.bad_period": (
        "ngày bắt đầu {start} sau ngày kết thúc {end}",
        "the start {start} is after the end {end}",
    ),
    "init.unknown_framework": (
        "không có khung ASCC '{name}' (có: {known})",
        "no ASCC framework '{name}' (known: {known})",
    ),
    "init.bad_framework": (
        "tệp khung ASCC '{name}' đi kèm aseanctl không đọc được; hãy cài lại aseanctl",
        "the ASCC framework file '{name}' shipped with aseanctl does not read; reinstall aseanctl",
    ),
    "init.done": ("Đã tạo {count} tệp trong {path}.", "Created {count} {count:file|files} in {path}."),
    "init.done_from": (
        "Kế hoạch {id} tiếp nối {old}: {tasks} nhiệm vụ đề xuất tiếp tục (không chuyển {completed} nhiệm vụ đã"
        " hoàn thành), {owners} cơ quan còn hoạt động ngày {day}.",
        "Plan {id} continues {old}: {tasks} {tasks:task|tasks} offered as candidates ({completed} completed"
        " {completed:task|tasks} left behind), {owners} {owners:owner|owners} active on {day}.",
    ),
    "init.next": (
        "Tiếp theo: điền các chỗ đánh dấu «{marker}», rồi chạy 'aseanctl validate --strict'.",
        "Next: fill in the places marked «{marker}», then run 'aseanctl validate --strict'.",
    ),
    "init.next_from": (
        "Tiếp theo: điền các chỗ đánh dấu «{marker}», bỏ những nhiệm vụ không tiếp tục, rồi chạy"
        " 'aseanctl validate --strict'.",
        "Next: fill in the places marked «{marker}», delete the tasks that do not continue, then run"
        " 'aseanctl validate --strict'.",
    ),
    "init.plan_header": (
        "Tạo bằng 'aseanctl init'. Điền các chỗ đánh dấu {marker}; định dạng: docs/plan-format.md của aseanctl.",
        "Written by 'aseanctl init'. Fill in the places marked {marker}; the format: aseanctl's docs/plan-format.md.",
    ),
    "init.owners_header": (
        "Các cơ quan thực hiện kế hoạch: mỗi cơ quan một mục (id, tên, loại; ngày hoạt động, cơ quan kế nhiệm).",
        "The agencies that own the work: one entry each (id, name, kind; life span, successor).",
    ),
    "init.owners_carried": (
        "Các cơ quan còn hoạt động khi kế hoạch mới bắt đầu, chuyển từ {plan}: cơ quan đã sáp nhập chỉ còn"
        " là cơ quan kế nhiệm.",
        "The owners still active when the new plan starts, carried over from {plan}: a merged agency appears"
        " only as its successor.",
    ),
    "init.tasks_header": (
        "Nhiệm vụ của một nhóm: mỗi nhóm một tệp. Cần 'due' (thời hạn) hoặc 'recurring: yearly'.",
        "The tasks of one group: one file per group. Each needs 'due' (deadline) or 'recurring: yearly'.",
    ),
    "init.candidates_header": (
        "Nhiệm vụ đề xuất tiếp tục từ {plan}: chưa hoàn thành hoặc thực hiện thường xuyên đến {day}.\n"
        "Xóa nhiệm vụ không tiếp tục, sửa nội dung và thời hạn, thêm nhiệm vụ mới. Thẻ 'continues:'\n"
        "và 'source' chỉ nhiệm vụ cũ; 'baseline' của chỉ tiêu là giá trị đạt được đến {day}.",
        "Tasks offered to continue from {plan}: not completed, or recurring, on {day}.\n"
        "Delete those that do not continue, reword them, set deadlines, add new ones. The tag\n"
        "'continues:' and 'source' name the old task; an indicator's baseline is the value reached on {day}.",
    ),
    "init.settings_header": (
        "Ai ban hành báo cáo và gửi đến đâu (docs/reports.md của aseanctl).",
        "Who issues the reports, and to whom they go (aseanctl's docs/reports.md).",
    ),
    "init.settings_copied": (
        "Chép từ {plan}: kiểm tra lại cơ quan chủ quản, người ký và nơi nhận.",
        "Copied from {plan}: check the parent body, the signer and the recipients.",
    ),
    "init.document_comment": (
        "{marker}: số, ngày ký và cơ quan ban hành văn bản kế hoạch (ngày ở đây tạm là ngày bắt đầu).",
        "{marker}: the plan document's number, date signed and issuer (the date is the start for now).",
    ),
    "init.implements_comment": (
        "Chương trình quốc gia thực hiện {name}; bỏ đi nếu kế hoạch không thực hiện chương trình này.",
        "The national programme carrying out {name}; remove it if the plan does not implement it.",
    ),
    "init.codes_comment": (
        "Khung: {name}. Mã đặc trưng (ascc) và thành phần (elements) theo {codes}:",
        "Framework: {name}. Characteristic (ascc) and element codes, from {codes}:",
    ),
    "init.codes_borrowed": (
        "Mã ASCC theo {codes}: các mã của {name} chưa được xác nhận nguồn nên aseanctl chưa có.",
        "ASCC codes are those of {codes}: the codes of {name} are not sourced yet, so aseanctl does not have them.",
    ),
    "init.due_comment": ("{marker}: thời hạn mới.", "{marker}: the new deadline."),
    "init.fill_title": ("tên kế hoạch", "the plan's title"),
    "init.fill_number": ("số văn bản", "document number"),
    "init.fill_issuer": ("cơ quan ban hành", "issuing body"),
    "init.fill_owner": ("tên cơ quan chủ trì", "the lead agency's name"),
    "init.fill_objective": ("tên nhóm nhiệm vụ", "the task group's title"),
    "init.fill_task": ("nội dung nhiệm vụ", "what the task is"),
    "init.fill_parent_body": ("CƠ QUAN CHỦ QUẢN", "PARENT BODY"),
    "init.fill_place": ("địa danh", "place"),
    "init.recipient_archive": ("Lưu: VT", "Lưu: VT"),
    "init.successor_title": ("kế hoạch tiếp nối: {title}", "successor plan of: {title}"),
    "init.successor_assumption": (
        "Khởi tạo từ {plan} bằng 'aseanctl init --from': nhiệm vụ, cơ quan và chỉ tiêu là đề xuất, chưa phải"
        " nội dung đã ban hành.",
        "Started from {plan} with 'aseanctl init --from': tasks, owners and targets are proposals, not yet"
        " the issued text.",
    ),
    "init.continues_note": (
        "Tiếp nối nhiệm vụ {task} của kế hoạch {plan}: đến ngày {day}, {status}, tiến độ {progress}%.",
        "Continues task {task} of plan {plan}: on {day}, {status}, progress {progress}%.",
    ),
    "init.lead_carried": (
        "Cơ quan chủ trì {old} đã chuyển giao cho cơ quan kế nhiệm {new}.",
        "The lead {old} handed over to its successor {new}.",
    ),
    "init.lead_ended": (
        "Cơ quan chủ trì cũ {old} đã kết thúc hoạt động, không có cơ quan kế nhiệm: tạm giao {new} ({marker}).",
        "The former lead {old} ended without a successor: {new} is put in for now ({marker}).",
    ),
    "init.support_ended": (
        "Bỏ cơ quan phối hợp {old}: đã kết thúc hoạt động, không có cơ quan kế nhiệm.",
        "Supporting owner {old} dropped: it ended without a successor.",
    ),
    # --- journal: the recorder checks its record with the journal's schema ----------------
    "update.invalid": (
        "không ghi được cập nhật: trường '{field}': {problem}",
        "the update cannot be recorded: field '{field}': {problem}",
    ),
    # --- history: --at REV and aseanctl diff (aseanctl/history.py, plandiff.py, cli/diff.py) ---
    "history.not_git": (
        "'{path}' không nằm trong kho git: --at và diff đọc kế hoạch từ lịch sử git",
        "'{path}' is not in a git repository: --at and diff read the plan from git's history",
    ),
    "history.bad_revision": (
        "không có phiên bản '{rev}' trong kho git (cần một commit, thẻ hoặc nhánh)",
        "unknown revision '{rev}': no such commit, tag or branch in the repository",
    ),
    "history.no_plan": ("không có kế hoạch nào tại {rev} (tìm từ {start})", "no plan at {rev} (looked from {start})"),
    "history.too_large": (
        "kế hoạch tại {rev} quá lớn ({size} byte trong {files} tệp; tối đa {limit} byte và {max_files} tệp)",
        "the plan at {rev} is too large ({size} bytes in {files} {files:file|files}; "
        "the limit is {limit} bytes and {max_files} {max_files:file|files})",
    ),
    "history.git_failed": ("lệnh {command} thất bại: {detail}", "{command} failed: {detail}"),
    "history.link_skipped": (
        "'{name}' là {kind} trong commit nên không được đọc (tệp kế hoạch phải là tệp thường)",
        "'{name}' is a {kind} in the commit and was not read (plan files are plain files)",
    ),
    "history.no_base": (
        "không tìm thấy nhánh mặc định để so sánh (origin/HEAD, main, master): hãy nêu BASE",
        "no default branch to compare with (origin/HEAD, main, master): name BASE",
    ),
    "diff.title": ("Thay đổi kế hoạch: {base} → {head}", "Plan changes: {base} → {head}"),
    "diff.working_tree": ("thư mục làm việc", "working tree"),
    "diff.valid": ("Hợp lệ: trước {base}; sau {head}", "Valid: before {base}; after {head}"),
    "diff.valid_yes": ("có", "yes"),
    "diff.valid_no": ("không ({errors} lỗi)", "no ({errors} {errors:error|errors})"),
    "diff.summary": ("Thay đổi: {changes}; có rủi ro: {risks}", "Changes: {changes}; risky: {risks}"),
    "diff.none": ("Không có thay đổi nào về kế hoạch.", "No change to the plan."),
    "diff.days": ("{days:+d} ngày", "{days:+d} {days:day|days}"),
    "diff.more": ("… và {count} dòng nữa (xem --format json)", "… and {count} more (see --format json)"),
    "diff.col.id": ("Mã", "ID"),
    "diff.col.change": ("Thay đổi", "Change"),
    "diff.col.details": ("Chi tiết", "Details"),
    "diff.col.risks": ("Rủi ro", "Risks"),
    "diff.kind.plan": ("Kế hoạch", "Plan"),
    "diff.kind.objective": ("Nhóm nhiệm vụ", "Task groups"),
    "diff.kind.task": ("Nhiệm vụ", "Tasks"),
    "diff.kind.owner": ("Cơ quan", "Owners"),
    "diff.kind.update": ("Cập nhật tiến độ", "Status updates"),
    "diff.change.added": ("thêm", "added"),
    "diff.change.removed": ("bỏ", "removed"),
    "diff.change.modified": ("sửa", "modified"),
    "diff.change.moved": ("chuyển nhóm", "moved"),
    "diff.change.ended": ("kết thúc", "ended"),
    "diff.update.added": ("ghi nhận", "recorded"),
    "diff.update.corrected": ("đính chính", "corrected"),
    "diff.update.modified": ("sửa trực tiếp trong nhật ký", "edited in the journal"),
    "diff.update.removed": ("rút khỏi nhật ký", "withdrawn from the journal"),
    "diff.risk.due-later": ("hạn hoàn thành lùi lại", "deadline moved later"),
    "diff.risk.target-lowered": ("chỉ tiêu bị hạ", "target lowered"),
    "diff.risk.removed-with-updates": ("bỏ nhiệm vụ đã có cập nhật", "task with updates removed"),
    "diff.risk.completed-reverted": ("trạng thái hoàn thành bị đảo lại", "completed status reverted"),
    "diff.risk.lead-inactive": (
        "giao chủ trì cho cơ quan không hoạt động trong thời gian thực hiện",
        "lead handed to an owner not active on the task's dates",
    ),
    # --- journal safety: links, special files, I/O failures, all-or-nothing commits (jwin) ---
    "journal.unsafe_file": (
        "tệp nhật ký là liên kết tượng trưng hoặc không phải tệp thường: không đọc; hãy thay bằng tệp thật",
        "the journal file is a symbolic link or not a regular file: not read; replace it with a real file",
    ),
    "journal.more_like_this": (
        "… và {count} dòng khác có cùng lỗi này",
        "… and {count} more {count:line|lines} like this",
    ),
    "journal.unsafe_write": (
        "không ghi vào {file}: là liên kết tượng trưng hoặc không phải tệp thường; không ghi gì",
        "not writing to {file}: it is a symbolic link or not a regular file; nothing was written",
    ),
    "journal.write_failed": (
        "không ghi được {file}: {reason}; nhật ký giữ nguyên như trước",
        "cannot write {file}: {reason}; the journal is left as it was",
    ),
    "journal.locked": (
        "{file} đang bị một tiến trình khác khóa quá lâu; không ghi gì",
        "{file} has been locked by another process for too long; nothing was written",
    ),
    "io.no_space": ("ổ đĩa đã đầy", "the disk is full"),
    "io.too_big": ("tệp vượt giới hạn kích thước của hệ thống", "the file is over the system's size limit"),
    "io.read_only": ("hệ thống tệp chỉ cho đọc", "the file system is read-only"),
    "io.denied": ("không có quyền ghi", "permission denied"),
    "update.commit_failed": (
        "git không commit được ({command}: {detail}); cập nhật chưa được ghi",
        "git could not commit ({command}: {detail}); the update was not recorded",
    ),
    "update.repo_locked": (
        "kho git {path} đang bị một 'aseanctl update --commit' khác khóa quá lâu; không ghi gì",
        "the git repository {path} has been locked by another 'aseanctl update --commit' for too long; "
        "nothing was written",
    ),
    # --- collect: forms out to the agencies, their answers back into the journal ----------
    "collect.sheet": ("Báo cáo", "Report"),
    "collect.col.task": ("Mã nhiệm vụ", "Task id"),
    "collect.col.title": ("Nội dung nhiệm vụ", "Task"),
    "collect.col.role": ("Vai trò", "Role"),
    "collect.col.current": ("Tình trạng hiện tại", "Current status"),
    "collect.col.status": ("Tình trạng", "Status"),
    "collect.col.progress": ("Tiến độ (%)", "Progress (%)"),
    "collect.col.note": ("Kết quả, ghi chú", "Results, notes"),
    "collect.col.evidence": ("Văn bản chứng minh", "Evidence"),
    "collect.role.lead": ("chủ trì", "lead"),
    "collect.role.support": ("phối hợp", "support"),
    "collect.not_xlsx": (
        "không phải bảng tính Excel (.xlsx): không mở được dạng zip",
        "not an Excel workbook (.xlsx): it does not open as a zip file",
    ),
    "collect.zip_bomb": (
        "bảng tính giải nén ra quá lớn ({size} byte; tối đa {limit} byte)",
        "the workbook unpacks to too much ({size} bytes; the limit is {limit})",
    ),
    "collect.unreadable": ("không đọc được bảng tính ({reason})", "cannot read the workbook ({reason})"),
    "collect.not_a_form": (
        "không phải biểu mẫu do aseanctl collect send tạo (thiếu trang ẩn 'aseanctl')",
        "not a form made by aseanctl collect send (no hidden sheet 'aseanctl')",
    ),
    "collect.tampered": (
        "trang ẩn đã bị sửa (mã kiểm tra không khớp): không nhận biểu mẫu này",
        "the hidden sheet was changed (its digest does not match): the form is refused",
    ),
    "collect.other_plan": ("biểu mẫu của kế hoạch khác: '{found}'", "the form is for another plan: '{found}'"),
    "collect.other_period": (
        "biểu mẫu của kỳ báo cáo khác: '{found}'",
        "the form is for another reporting period: '{found}'",
    ),
    "collect.no_sheet": ("thiếu trang của biểu mẫu", "the form's sheet is missing"),
    "collect.header_changed": (
        "dòng tiêu đề đã bị sửa: gặp '{found}', mong đợi '{expected}'",
        "the header row was changed: found '{found}', expected '{expected}'",
    ),
    "collect.too_many_rows": ("trang có hơn {limit} dòng", "the sheet has more than {limit} {limit:row|rows}"),
    "collect.formula": (
        "ô chứa công thức; hãy nhập giá trị",
        "the cell holds a formula; type the value instead",
    ),
    "collect.no_part": (
        "cơ quan không chủ trì hay phối hợp nhiệm vụ '{task}': dòng không được ghi",
        "the agency neither leads nor supports task '{task}': the row is not recorded",
    ),
    "collect.extra_row": (
        "dòng thêm bằng tay cho nhiệm vụ '{task}': không được ghi",
        "row added by hand for task '{task}': not recorded",
    ),
    "collect.task_changed": (
        "mã nhiệm vụ đã bị sửa: gặp '{found}', biểu mẫu gửi '{sent}'",
        "the task id was changed: found '{found}', the form was sent with '{sent}'",
    ),
    "collect.bad_status": (
        "tình trạng '{found}' không hợp lệ; dùng: {allowed}",
        "unknown status '{found}'; use: {allowed}",
    ),
    "collect.bad_number": ("'{found}' không phải là số", "'{found}' is not a number"),
    "collect.progress_range": (
        "tiến độ phải từ 0 đến 100, nhưng gặp {found}",
        "progress must be from 0 to 100, found {found}",
    ),
    "collect.not_indicator": (
        "nhiệm vụ '{task}' không có chỉ tiêu '{id}'",
        "task '{task}' has no indicator '{id}'",
    ),
    "collect.written": ("Đã ghi biểu mẫu {file} ({rows} nhiệm vụ)", "Wrote form {file} ({rows} {rows:task|tasks})"),
    "collect.letter": ("Đã ghi công văn đề nghị {file}", "Wrote the request letter {file}"),
    "collect.no_letter": (
        "Không tạo được công văn đề nghị cho {owner}: {reason}",
        "No request letter for {owner}: {reason}",
    ),
    "collect.no_tasks": (
        "{owner} không có nhiệm vụ nào phải báo cáo trong kỳ {period}: không gửi biểu mẫu",
        "{owner} has no task to report on in {period}: no form",
    ),
    "collect.nobody": ("Không cơ quan nào phải báo cáo trong kỳ {period}", "No agency owes a report for {period}"),
    "collect.recorded": (
        "{file}: ghi {count} cập nhật, {already} dòng đã ghi trước đó, {problems} vấn đề",
        "{file}: {count} {count:update|updates} recorded, {already} {already:row|rows} recorded before, "
        "{problems} {problems:problem|problems}",
    ),
    "collect.would_record": (
        "{file}: sẽ ghi {count} cập nhật (chạy thử), {already} dòng đã ghi trước đó, {problems} vấn đề",
        "{file}: would record {count} {count:update|updates} (dry run), {already} {already:row|rows} recorded before, "
        "{problems} {problems:problem|problems}",
    ),
    "collect.nothing_recorded": (
        "{file}: biểu mẫu có lỗi nên không ghi gì (dùng --skip-bad-rows để ghi các dòng đúng)",
        "{file}: the form has errors, nothing recorded (--skip-bad-rows records the good rows)",
    ),
    "collect.no_file": ("không có tệp '{file}'", "no file '{file}'"),
    # --- hostile inputs: unsafe files, the cache folder, bounded work (helper: harden) ---
    "rule.unsafe-file": (
        "Tệp và thư mục của kế hoạch phải là tệp thật: liên kết tượng trưng, FIFO, thiết bị hay socket bị từ chối"
        " và không bao giờ được mở; một thư mục ở chỗ của tệp kế hoạch, nhiệm vụ hay nhật ký là lỗi.",
        "Plan files and folders are real files: a symbolic link, FIFO, device or socket is refused and never opened;"
        " a folder where a plan, task or journal file belongs is an error.",
    ),
    "file.symlink": (
        "'{name}' là liên kết tượng trưng: aseanctl không đọc gì qua liên kết trong kho kế hoạch; hãy thay bằng"
        " chính tệp đó",
        "'{name}' is a symbolic link: aseanctl reads nothing through a link in the plan repository; replace it"
        " with the file itself",
    ),
    "file.fifo": (
        "'{name}' là một FIFO (ống có tên), không phải tệp thông thường: không được đọc",
        "'{name}' is a FIFO (named pipe), not a regular file: it is not read",
    ),
    "file.device": (
        "'{name}' là một tệp thiết bị, không phải tệp thông thường: không được đọc",
        "'{name}' is a device file, not a regular file: it is not read",
    ),
    "file.socket": (
        "'{name}' là một socket, không phải tệp thông thường: không được đọc",
        "'{name}' is a socket, not a regular file: it is not read",
    ),
    "cache.unsafe_folder": (
        "cảnh báo: không dùng thư mục bộ nhớ đệm '{folder}' vì người dùng khác sở hữu nó hoặc người khác ghi được"
        " vào đó; lệnh vẫn chạy, chỉ chậm hơn (đặt ASEANCTL_CACHE_DIR tới một thư mục riêng)",
        "warning: the cache folder '{folder}' is not used: another user owns it or others can write to it; the"
        " command runs without it, only slower (set ASEANCTL_CACHE_DIR to a folder of your own)",
    ),
    "yaml.number_too_long": (
        "số có {digits} chữ số: chỉ đọc số có tối đa {limit} chữ số; đặt trong dấu nháy nếu đó là văn bản",
        "a number of {digits} digits: numbers of at most {limit} digits are read; quote it if it is text",
    ),
    # --- reports: figures that add up, charts, corrections (branch reports) ---------------
    "report.summary_sentence": (
        "{tasks} nhiệm vụ ({statuses}), {overdue} quá hạn; tiến độ bình quân {progress}%.",
        "{tasks} {tasks:task|tasks} ({statuses}), {overdue} overdue; mean progress {progress}%.",
    ),
    "report.summary_sentence_empty": ("Không có nhiệm vụ.", "No tasks."),
    "report.total": ("Cộng", "Total"),
    "report.status_table": ("Số nhiệm vụ theo tình trạng", "Tasks by status"),
    "report.recurring_chart": (
        "Nhiệm vụ thực hiện thường xuyên: có báo cáo trong kỳ (cột), phải báo cáo (đường)",
        "Recurring tasks: reported in the period (bars), due a report (line)",
    ),
    "report.draft": ("DỰ THẢO", "DRAFT"),
    "report.col.id": ("Mã", "Id"),
    "report.indicators": ("Chỉ tiêu", "Indicators"),
    "report.col.indicator": ("Chỉ tiêu", "Indicator"),
    "report.col.unit": ("Đơn vị tính", "Unit"),
    "report.col.baseline": ("Giá trị cơ sở", "Baseline"),
    "report.col.target": ("Mục tiêu", "Target"),
    "report.col.reached": ("Đạt được", "Reached"),
    "report.draft_errors": (
        "kế hoạch có {count} lỗi (xem: aseanctl validate): báo cáo được đánh dấu DỰ THẢO",
        "the plan has {count} {count:error|errors} (see: aseanctl validate): the report is marked DRAFT",
    ),
    "report.placeholders": (
        "{count} mục chưa viết, để chỗ trống trong báo cáo: {names} (viết vào {file})",
        "{count} {count:section|sections} not written, left as placeholders: {names} (write them in {file})",
    ),
    "report.final_refused": (
        "--final: không ghi báo cáo, vì: {reasons}",
        "--final: the report is not written: {reasons}",
    ),
    "report.final.errors": ("kế hoạch có {count} lỗi", "the plan has {count} {count:error|errors}"),
    "report.final.placeholders": ("chưa viết {names} trong {file}", "{names} not written in {file}"),
    "report.final.signer": (
        "chưa có tên người ký (signer.name trong settings.yaml)",
        "no signer's name (signer.name in settings.yaml)",
    ),
    "report.final.number": ("chưa có số văn bản (number trong {file})", "no document number (number in {file})"),
    "view.changed": ("{field}: {before} → {after}", "{field}: {before} → {after}"),
    "view.withdraws": ("rút lại {id}: {reason}", "withdraws {id}: {reason}"),
    "view.changed_field.status": ("trạng thái", "status"),
    "view.changed_field.progress": ("tiến độ", "progress"),
    "view.changed_field.health": ("đánh giá", "health"),
    "view.changed_field.actual": ("giá trị đạt được", "values reached"),
    "view.changed_field.note": ("ghi chú", "note"),
    "view.changed_field.evidence": ("minh chứng", "evidence"),
    # --- owner-request letters (công văn, Nghị định 30/2020/NĐ-CP) ---------------------
    "letter.subject": (
        "V/v báo cáo kết quả thực hiện Kế hoạch số {number} {period}",
        "Re: reporting on Plan No. {number} {period}",
    ),
    "letter.to": ("Kính gửi:", "To:"),
    "letter.request": (
        "Thực hiện Kế hoạch số {number} ngày {date} của {issuer}, {sender} đề nghị {owner} báo cáo kết quả "
        "thực hiện {period} đối với {count} nhiệm vụ dưới đây (chủ trì hoặc phối hợp): kết quả đạt được, "
        "khó khăn, vướng mắc và đề xuất, kiến nghị.",
        "Pursuant to Plan No. {number} of {date} of {issuer}, {sender} requests {owner} to report on its "
        "results {period} for the {count} {count:task|tasks} below (as lead or supporting agency): results achieved, "
        "difficulties, and proposals.",
    ),
    "letter.answer_by": (
        "Đề nghị {owner} gửi báo cáo về {sender} trước ngày {deadline} để tổng hợp, báo cáo {issuer}./.",
        "{owner} is requested to send the report to {sender} by {deadline}, to be compiled for {issuer}.",
    ),
    "letter.as_above": ("Như trên", "As above"),
    "letter.archive": ("Lưu: VT{unit}", "File: VT{unit}"),
    "letter.owner_gone": (
        "'{owner}' không còn tồn tại vào ngày {day} (hoạt động đến hết {until}){successor}: không viết thư "
        "đề nghị báo cáo cho cơ quan này",
        "'{owner}' no longer exists on {day} (it ended on {until}){successor}: no request letter is written to it",
    ),
    "letter.owner_not_yet": (
        "'{owner}' chưa tồn tại vào ngày {day} (hoạt động từ {since}): không viết thư đề nghị báo cáo cho cơ quan này",
        "'{owner}' does not exist yet on {day} (it starts on {since}): no request letter is written to it",
    ),
    "letter.successor": ("; công việc chuyển cho '{id}'", "; its work went to '{id}'"),
    "letter.nothing": (
        "'{owner}' không chủ trì hay phối hợp nhiệm vụ nào đang thực hiện trong kỳ {period}: không có gì "
        "để đề nghị báo cáo",
        "'{owner}' leads or supports no task open in {period}: there is nothing to ask it to report",
    ),
    "letter.nobody": (
        "không cơ quan nào phải báo cáo kỳ {period}: không có thư nào được ghi",
        "no agency owes a report for {period}: no letter was written",
    ),
    "letter.deadline_kind": (
        "--deadline chỉ dùng với --kind owner-request",
        "--deadline is only for --kind owner-request",
    ),
    "letter.deadline_early": (
        "--deadline {deadline} trước ngày viết thư ({day})",
        "--deadline {deadline} is before the letter's day ({day})",
    ),
    "letter.folder_stdout": (
        "thư cho mọi cơ quan được ghi vào một thư mục, không ra stdout: dùng --owner ID hoặc -o THƯ_MỤC",
        "letters to every agency go into a folder, not to stdout: use --owner ID or -o FOLDER",
    ),
    "letter.output_is_file": (
        "'{file}' là một tệp: thư cho mọi cơ quan cần một thư mục (-o THƯ_MỤC)",
        "'{file}' is a file: letters to every agency need a folder (-o FOLDER)",
    ),
    "letter.skipped": ("không viết thư cho {owner}: {reason}", "no letter for {owner}: {reason}"),
    "letter.written": (
        "Đã ghi {count} thư đề nghị báo cáo vào {folder}.",
        "Wrote {count} request {count:letter|letters} into {folder}.",
    ),
    # --- the views as workbooks (--format xlsx) and written to a file (-o) ---------------------
    "view.xlsx_needs_output": (
        "--format xlsx cần -o TỆP (ví dụ -o tinh-hinh.xlsx), hoặc -o - để ghi vào một đường ống",
        "--format xlsx needs -o FILE (e.g. -o status.xlsx), or -o - to write into a pipe",
    ),
    "view.xlsx_to_terminal": (
        "bảng tính là tệp nhị phân, không ghi ra màn hình: dùng -o TỆP",
        "a workbook is binary and is not written to a terminal: use -o FILE",
    ),
    "view.table_output": (
        "-o ghi json, csv hoặc xlsx; bảng để đọc trên màn hình thì chuyển hướng: > TỆP",
        "-o writes json, csv or xlsx; the table is for a terminal: redirect it with > FILE",
    ),
    "view.output_is_folder": (
        "'{file}' là một thư mục: hãy cho tên tệp",
        "'{file}' is a folder: give a file name",
    ),
    "view.output_read_only": (
        "tệp '{file}' chỉ cho phép đọc: được giữ nguyên",
        "'{file}' is read-only: it is left as it is",
    ),
    "view.write_failed": (
        "không ghi được '{file}': {reason}; tệp cũ (nếu có) được giữ nguyên",
        "could not write '{file}': {reason}; any earlier file there is left as it is",
    ),
    "view.written": ("Đã ghi {file}.", "Wrote {file}."),
    "sheet.name.status": ("Nhiệm vụ", "Tasks"),
    "sheet.name.show": ("Diễn biến", "Timeline"),
    "sheet.name.log": ("Nhật ký", "Journal"),
    "sheet.name.owners": ("Cơ quan", "Owners"),
    "sheet.col.id": ("Mã", "ID"),
    "sheet.col.plan": ("Kế hoạch", "Plan"),
    "sheet.col.objective": ("Nhóm nhiệm vụ", "Objective"),
    "sheet.col.title": ("Nhiệm vụ", "Task"),
    "sheet.col.title_en": ("Nhiệm vụ (tiếng Anh)", "Task (English)"),
    "sheet.col.lead": ("Chủ trì", "Lead"),
    "sheet.col.support": ("Phối hợp", "Support"),
    "sheet.col.status": ("Trạng thái", "Status"),
    "sheet.col.progress": ("Tiến độ (%)", "Progress (%)"),
    "sheet.col.health": ("Đánh giá", "Health"),
    "sheet.col.start": ("Bắt đầu", "Start"),
    "sheet.col.due": ("Thời hạn", "Due"),
    "sheet.col.recurring": ("Thường xuyên", "Recurring"),
    "sheet.col.due_soon": ("Sắp đến hạn", "Due soon"),
    "sheet.col.overdue": ("Quá hạn", "Overdue"),
    "sheet.col.stale": ("Chưa báo cáo", "No report"),
    "sheet.col.last_update": ("Báo cáo gần nhất", "Last report"),
    "sheet.col.task": ("Nhiệm vụ", "Task"),
    "sheet.col.date": ("Ngày", "Date"),
    "sheet.col.actual": ("Giá trị đạt được", "Values reached"),
    "sheet.col.note": ("Ghi chú", "Note"),
    "sheet.col.evidence": ("Minh chứng", "Evidence"),
    "sheet.col.by": ("Đơn vị báo cáo", "Reported by"),
    "sheet.col.author": ("Người ghi", "Author"),
    "sheet.col.recorded": ("Thời điểm ghi", "Recorded"),
    "sheet.col.corrects": ("Sửa cập nhật", "Corrects"),
    "sheet.col.superseded": ("Đã được sửa", "Superseded"),
    "sheet.col.superseded_by": ("Được sửa bởi", "Superseded by"),
    "sheet.col.name": ("Tên", "Name"),
    "sheet.col.name_en": ("Tên (tiếng Anh)", "Name (English)"),
    "sheet.col.short": ("Tên viết tắt", "Short name"),
    "sheet.col.kind": ("Loại", "Kind"),
    "sheet.col.led": ("Chủ trì", "Leads"),
    "sheet.col.supported": ("Phối hợp", "Supports"),
    "sheet.col.completed": ("Hoàn thành", "Completed"),
    "sheet.col.last_report": ("Báo cáo gần nhất", "Last report"),
    "sheet.col.reports_owed": ("Nhiệm vụ phải báo cáo kỳ này", "Reports owed this period"),
    "sheet.col.reports_given": ("Nhiệm vụ đã báo cáo kỳ này", "Reports given this period"),
    "sheet.col.reports_missing": ("Nhiệm vụ chưa báo cáo", "Tasks not reported"),
    "sheet.col.withdraws": ("Rút lại cập nhật", "Withdraws"),
    "sheet.col.reason": ("Lý do", "Reason"),
    "sheet.col.withdrawn": ("Đã rút lại", "Withdrawn"),
    "sheet.col.withdrawn_by": ("Rút lại bởi", "Withdrawn by"),
    "sheet.col.withdrawn_reason": ("Lý do rút lại", "Withdrawal reason"),
    # --- collect status: what was sent, what came back, the to-do list (helper: cstatus) ---
    "collect.bad_sent": (
        "tệp ghi các biểu mẫu đã gửi '{file}' bị hỏng hoặc không phải của kỳ này ({reason}): hãy khôi phục nó"
        " (git, bản sao) hoặc chuyển nó đi rồi gửi lại biểu mẫu",
        "the record of forms sent '{file}' is damaged or belongs to another period ({reason}): restore it"
        " (git, a copy) or move it aside and send the forms again",
    ),
    "collect.sent_record": ("Đã ghi danh sách biểu mẫu đã gửi {file}", "Recorded the forms sent in {file}"),
    "collect.status.heading": (
        "Thu thập báo cáo kỳ {label} ({start} – {end})",
        "Collecting reports for {label} ({start} – {end})",
    ),
    "collect.status.col.sent": ("Ngày gửi", "Sent"),
    "collect.status.col.answered": ("Dòng đã trả lời", "Rows answered"),
    "collect.status.col.problems": ("Lỗi", "Problems"),
    "collect.status.col.todo": ("Việc cần làm", "To do"),
    "collect.status.count": ("{what}: {count}", "{what}: {count}"),
    "collect.todo.send": (
        "gửi biểu mẫu: aseanctl collect send --owner {owner}",
        "send the form: aseanctl collect send --owner {owner}",
    ),
    "collect.todo.fix": (
        "báo cơ quan sửa các lỗi trong {files}",
        "have the agency fix the problems in {files}",
    ),
    "collect.todo.read": ("ghi vào sổ: aseanctl collect read {files}", "record it: aseanctl collect read {files}"),
    "collect.todo.remind": ("nhắc cơ quan gửi lại biểu mẫu", "remind the agency to return the form"),
    "collect.todo.partial": (
        "còn dòng chưa trả lời: nhắc cơ quan bổ sung",
        "some rows unanswered: ask the agency for the rest",
    ),
    "collect.todo.done": ("xong", "done"),
    "collect.todo.reported": ("đã báo cáo (không qua biểu mẫu)", "reported (not through a form)"),
    "collect.todo_word.send": ("chưa gửi", "not sent"),
    "collect.todo_word.fix": ("có lỗi", "problems"),
    "collect.todo_word.read": ("chờ ghi", "to record"),
    "collect.todo_word.remind": ("chưa nhận", "not returned"),
    "collect.todo_word.partial": ("trả lời một phần", "partly answered"),
    "collect.todo_word.done": ("xong", "done"),
    "collect.todo_word.reported": ("báo cáo cách khác", "reported otherwise"),
    # --- withdrawals and who reports (issue 11: update --withdraws, journal-withdrawal, update-owner) ---
    "update.reason_alone": ("--reason chỉ dùng cùng --withdraws ID", "--reason goes with --withdraws ID"),
    "update.withdraws_alone": (
        "--withdraws chỉ rút lại một cập nhật, không ghi gì thêm: bỏ {options}",
        "--withdraws takes an update back and says nothing else: leave out {options}",
    ),
    "update.no_reason": (
        "--withdraws cần --reason: vì sao rút lại cập nhật",
        "--withdraws needs --reason: why the update is taken back",
    ),
    "journal.withdraws_unknown": ("không có cập nhật '{id}' để rút lại", "there is no update '{id}' to withdraw"),
    "journal.withdraws_self": ("cập nhật không thể rút lại chính nó", "an update cannot withdraw itself"),
    "journal.withdraws_withdrawal": (
        "'{id}' là một lần rút lại, không rút lại được: hãy ghi lại cập nhật",
        "'{id}' is a withdrawal and cannot be withdrawn: record the update again instead",
    ),
    "journal.withdrawn_twice": (
        "cập nhật '{id}' đã được rút lại bởi '{first}'",
        "update '{id}' is already withdrawn by '{first}'",
    ),
    "journal.corrects_withdrawal": (
        "'{id}' là một lần rút lại, không đính chính được: hãy ghi lại cập nhật",
        "'{id}' is a withdrawal and cannot be corrected: record the update again instead",
    ),
    "journal.withdrawal_no_reason": (
        "rút lại '{id}' mà không nêu lý do (reason)",
        "the withdrawal of '{id}' gives no reason",
    ),
    "journal.withdrawal_says_more": (
        "một lần rút lại không ghi gì thêm: '{field}' không được tính",
        "a withdrawal says nothing else: its '{field}' does not count",
    ),
    "journal.by_no_part": (
        "'{by}' không chủ trì, không phối hợp nhiệm vụ '{task}' (kể cả qua tiếp nhận)",
        "'{by}' neither leads nor supports task '{task}' (hand-overs included)",
    ),
    "journal.by_ended": (
        "'{by}' đã kết thúc hoạt động ngày {active_until}, trước ngày {date} của cập nhật",
        "'{by}' ended on {active_until}, before the update's date {date}",
    ),
    "view.withdrawn": ("đã rút lại bởi {id}: {reason}", "withdrawn by {id}: {reason}"),
    "rule.journal-withdrawal": (
        "Rút lại trỏ tới một cập nhật có thật, cùng nhiệm vụ, có lý do, không ghi gì thêm; "
        "mỗi cập nhật rút lại một lần.",
        "A withdrawal points at an existing update of the same task, gives a reason and says nothing else; "
        "an update is withdrawn once.",
    ),
    "rule.update-owner": (
        "Cơ quan ghi cập nhật có phần trong nhiệm vụ và còn hoạt động vào ngày cập nhật (cảnh báo).",
        "An update's owner has a part in the task and still existed on its date (warning).",
    ),
    # --- numbers typed the Vietnamese or the English way (aseanctl/numtext.py; helper: small) ---
    "number.ambiguous": (
        "'{found}' có thể là {whole} hoặc {fraction_vi}: viết {whole} nếu là số nguyên, "
        "{fraction_vi} (hoặc {fraction_en}) nếu là số thập phân",
        "'{found}' reads as {whole} or as {fraction_en}: write {whole} for the whole number, "
        "{fraction_en} (or {fraction_vi}) for the decimal",
    ),
    "update.ambiguous_number": ("{option}: {detail}", "{option}: {detail}"),
    # --- status and health words: one reader, no alias that can mean another status (small) ---
    "update.bad_state_word": (
        "{option}: '{found}' không hợp lệ{hint}; dùng: {allowed}",
        "{option}: '{found}' is not valid{hint}; use: {allowed}",
    ),
    # --- text that is not Unicode: a lone surrogate (a "\\ud800" escape) refused by the schema ---
    "schema.surrogate": (
        "văn bản chứa U+{code:04X}, một nửa cặp thay thế (surrogate) đứng riêng, không phải ký tự "
        "Unicode hợp lệ (thường do chuỗi thoát \\u{code:04x} trong JSON): hãy viết chính ký tự cần dùng",
        "text contains U+{code:04X}, a lone surrogate (half of a UTF-16 pair), which is no valid Unicode "
        "character (usually a JSON escape \\u{code:04x}): write the character itself",
    ),
    # --- reporting compliance; views of an ended plan ---
    "view.reported.note": (
        "Kỳ này: số nhiệm vụ đã có báo cáo trong kỳ / số nhiệm vụ phải báo cáo (cơ quan chủ trì cuối kỳ).",
        "This period: tasks reported in the period / tasks owing a report (by their lead at the period's end).",
    ),
    "view.plan_ended": (
        "Kế hoạch đã kết thúc ngày {date}: số liệu tính đến ngày đó (--as-of để chọn ngày khác).",
        "The plan ended on {date}: figures are as of that day (--as-of for another day).",
    ),
    # --- request letters in a folder: to the holder on the letter's day, never to the sender ---
    "letter.to_sender": (
        "không viết thư cho {owner}: đó là cơ quan gửi thư (tự tổng hợp phần việc của mình)",
        "no letter for {owner}: it is the sender (it reports its own part itself)",
    ),
    # --- collect send: forms addressed as the request letters are ---
    "collect.to_sender": (
        "không gửi biểu mẫu cho {owner}: đó là cơ quan gửi (tự tổng hợp phần việc của mình)",
        "no form for {owner}: it is the sender (it reports its own part itself)",
    ),
    # --- whole numbers: a count of days is never read from 1.5 ---
    "schema.whole_number": ("cần một số nguyên, nhưng gặp {found}", "expected a whole number, found {found}"),
    # --- collect send --owner: forms, as letters, only to an agency that exists on the day sent ---
    "form.owner_gone": (
        "'{owner}' không còn tồn tại vào ngày {day} (hoạt động đến hết {until}){successor}: không gửi biểu mẫu "
        "cho cơ quan này",
        "'{owner}' no longer exists on {day} (it ended on {until}){successor}: no form is sent to it",
    ),
    "form.owner_not_yet": (
        "'{owner}' chưa tồn tại vào ngày {day} (hoạt động từ {since}): không gửi biểu mẫu cho cơ quan này",
        "'{owner}' does not exist yet on {day} (it starts on {since}): no form is sent to it",
    ),
    # --- the command groups' own mistakes: a misspelt command, an option the group does not take ---
    "cli.no_such_command": (
        "không có lệnh '{name}'{hint}; xem '{path} -h'",
        "no such command '{name}'{hint}; see '{path} -h'",
    ),
    "cli.no_such_group_option": (
        "không có tùy chọn {option}{hint}; xem '{path} -h'",
        "no such option {option}{hint}; see '{path} -h'",
    ),
    # --- hostile input (collect) ---
    "collect.output_is_file": (
        "'{file}' là một tệp, không phải thư mục: {option} cần thư mục chứa các biểu mẫu",
        "'{file}' is a file, not a folder: {option} needs the folder of the forms",
    ),
    "collect.output_symlink": (
        "không ghi qua liên kết tượng trưng '{file}': biểu mẫu, công văn và danh sách đã gửi chỉ được ghi "
        "thành tệp thường; xóa liên kết hoặc chọn thư mục khác (-o THƯ_MỤC)",
        "will not write through the symbolic link '{file}': forms, letters and the record of forms sent are "
        "written as regular files only; remove the link or choose another folder (-o FOLDER)",
    ),
    "collect.output_special": (
        "'{file}' không phải tệp thường (FIFO, thiết bị …): không ghi biểu mẫu vào đó; xóa nó hoặc chọn "
        "thư mục khác (-o THƯ_MỤC)",
        "'{file}' is not a regular file (a FIFO, a device …): no form is written there; remove it or choose "
        "another folder (-o FOLDER)",
    ),
    "collect.too_many_cells": (
        "bảng tính có hơn {limit} phần tử XML dòng, ô và chuỗi: quá lớn cho một biểu mẫu, không đọc",
        "the workbook holds more than {limit} row, cell and string XML elements: too large for a form; not read",
    ),
    "collect.too_many_parts": (
        "bảng tính có hơn {limit} phần tử XML khác (định dạng, quan hệ, thuộc tính …): không phải biểu mẫu, không đọc",
        "the workbook holds more than {limit} other XML elements (styles, relationships, properties …): "
        "not a form; not read",
    ),
    "collect.forged": (
        "trang ẩn không phải do 'collect send' ghi (một nhiệm vụ có hai dòng, một dòng thiếu vai trò …): "
        "không nhận biểu mẫu này",
        "the hidden sheet is not one 'collect send' writes (a task listed twice, a row without its role …): "
        "the form is refused",
    ),
    # --- hostile input (core) ---
    "schema.date_range": (
        "ngày '{found}' nằm ngoài khoảng {first} đến {last} mà aseanctl tính được",
        "the day '{found}' is outside {first} to {last}, the days aseanctl works with",
    ),
    "yaml.hidden_break": (
        "ký tự {code} không được phép trong tệp kế hoạch: YAML đọc nó là một lần xuống dòng mà trình soạn "
        "thảo không hiển thị; hãy thay bằng dấu xuống dòng hoặc dấu cách",
        "character {code} is not allowed in plan files: YAML reads it as a line break that editors do not "
        "show; replace it with a line break or a space",
    ),
    # --- a folder where a plan, task or journal file belongs ---
    "file.folder": (
        "'{name}' là một thư mục, không phải tệp: không đọc được gì từ đó",
        "'{name}' is a folder, not a file: nothing is read from it",
    ),
}


# Extra words accepted on the command line and in collect's forms, beyond the ids and the
# catalogue's labels.  Only words that cannot mean another status: "đã triển khai" (rolled
# out) was read as completed, though work rolled out is as often still in progress, and
# "điều chỉnh" (adjust, adjusted) as change_requested, though it also says a change was made.
_ALIASES = {
    "status": {
        "hoàn thành": "completed",
        "thường xuyên": "recurring",
        "đang thực hiện": "in_progress",
        "chưa thực hiện": "not_started",
        "dừng": "suspended",
        "done": "completed",
    },
    "health": {"xanh": "green", "vàng": "amber", "đỏ": "red", "yellow": "amber"},
}


def _spaced(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().replace("_", " ").replace("-", " ").split())


def _folded(text: str) -> str:
    """Diacritics aside (``dang trien khai`` for ``đang triển khai``): typed on a keyboard
    without Vietnamese input, or in a spreadsheet."""
    plain = unicodedata.normalize("NFD", _spaced(text).replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c))


@lru_cache(maxsize=8)  # collect read asks once per form row
def _labels(kind: str, choices: tuple[str, ...]) -> dict[str, str]:
    words: dict[str, str] = {}
    for choice in choices:
        labels = CATALOGUE.get(f"{kind}.{choice}", ("", ""))
        for label in (choice, labels[0], labels[1]):
            words[_spaced(label)] = choice
    return words


def parse_word(kind: str, text: str, choices: tuple[str, ...]) -> str | None:
    """The stored id (``in_progress``) for what a person typed: the id, ``in-progress``,
    ``In Progress``, the Vietnamese label (``đang triển khai``) or one of the few aliases, case
    and spacing aside, and a label with or without its diacritics.  The one
    reader of these words: ``update``, ``log --status`` and ``collect read`` share it."""
    labels = _labels(kind, choices)
    word = _spaced(text)
    if word in labels or word in _ALIASES.get(kind, {}):
        return labels.get(word) or _ALIASES[kind][word]
    # the labels only: a short alias without its diacritics is another word ("dung", "do")
    meant = _folded_labels(kind, choices).get(_folded(text), set())
    return next(iter(meant)) if len(meant) == 1 else None


@lru_cache(maxsize=8)
def _folded_labels(kind: str, choices: tuple[str, ...]) -> dict[str, set[str]]:
    folded: dict[str, set[str]] = {}
    for label, choice in _labels(kind, choices).items():
        folded.setdefault(_folded(label), set()).add(choice)
    return folded


def word_hint(kind: str, text: str, choices: tuple[str, ...]) -> Msg | str:
    """A "did you mean …" for a word :func:`parse_word` did not know: the closest id or label."""
    from .suggest import did_you_mean

    return did_you_mean(_spaced(text), sorted(_labels(kind, choices)))


class _Plurals(string.Formatter):
    """``{count:task|tasks}``: the English noun for ``count``, one or other.  Vietnamese nouns
    have no plural, so its entries need none."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            return one if str(value).strip() in ("1", "1.0", "-1") else other
        return str(super().format_field(value, format_spec))


_PLURALS = _Plurals()


def fill(template: str, args: dict[str, Any]) -> str:
    """A catalogue entry with its arguments: ``str.format``, and ``{count:one|other}`` plurals."""
    if "|" in template:  # the rare entries with a plural take the slower formatter
        return _PLURALS.vformat(template, (), args)
    return template.format(**args)


def render(msg: Msg, lang: Lang = DEFAULT_LANG) -> str:
    """The message in ``lang``; an unknown key or a missing argument never raises."""
    templates = CATALOGUE.get(msg.key)
    if templates is None:
        return msg.key + (f" {msg.args}" if msg.args else "")
    template = templates[1 if lang == "en" else 0]
    args = {name: render(value, lang) if isinstance(value, Msg) else value for name, value in msg.args.items()}
    try:
        return fill(template, args)
    except (KeyError, IndexError, ValueError):
        return template + f" {args}"


def t(key: str, lang: Lang = DEFAULT_LANG, **args: Any) -> str:
    """Shorthand for rendering a catalogue entry directly."""
    return render(Msg(key, args), lang)


def pick_lang(explicit: str | None, plan_default: str | None = None) -> Lang:
    """--lang, then ASEANCTL_LANG, then the plan's own language, then Vietnamese."""
    for candidate in (explicit, os.environ.get("ASEANCTL_LANG"), plan_default):
        if candidate == "vi":
            return "vi"
        if candidate == "en":
            return "en"
    return DEFAULT_LANG
