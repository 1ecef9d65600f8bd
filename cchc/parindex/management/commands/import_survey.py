"""manage.py import_survey <questionnaire.json> [--answers answers.xlsx] [--assessment ID]

Creates the questionnaire (cchc.parindex.survey), imports its aggregated answers, and links it to the PAR Index
assessment whose survey criteria it fills."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cchc.parindex.models import Assessment, AssessmentState
from cchc.parindex.services import ImportRejected
from cchc.parindex.survey import answers_import, questionnaire_import


class Command(BaseCommand):
    help = "Nhập bộ câu hỏi khảo sát sự hài lòng (JSON), kết quả trả lời tổng hợp (XLSX) và gắn vào đợt đánh giá."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("questionnaire", type=Path)
        parser.add_argument(
            "--answers", type=Path, help="Kết quả trả lời tổng hợp theo đơn vị và câu hỏi (XLSX)."
        )
        parser.add_argument(
            "--assessment", type=int, help="Mã đợt đánh giá Chỉ số CCHC dùng kết quả khảo sát này."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for key in ("questionnaire", "answers"):
            if options[key] is not None:
                options[key] = Path(options[key])
            if options[key] is not None and not options[key].is_file():
                raise CommandError(f"Không tìm thấy tệp {options[key]}")
        try:
            with transaction.atomic():
                questionnaire = questionnaire_import(options["questionnaire"].read_bytes())
                rows = (
                    answers_import(questionnaire, options["answers"].read_bytes())
                    if options["answers"]
                    else 0
                )
                if options["assessment"] is not None:
                    assessment = Assessment.objects.filter(pk=options["assessment"]).first()
                    if assessment is None:
                        raise CommandError(f"Không có đợt đánh giá {options['assessment']}.")
                    if assessment.state != AssessmentState.OPEN:
                        raise CommandError("Đợt đánh giá đã công bố; không thể thay kết quả khảo sát.")
                    assessment.questionnaire = questionnaire
                    assessment.save(update_fields=["questionnaire"])
        except ImportRejected as rejected:
            for problem in rejected.errors:
                self.stderr.write(str(problem))
            raise CommandError(str(rejected)) from rejected
        self.stdout.write(self.style.SUCCESS(f"Đã nhập “{questionnaire.name}”: {rows} dòng kết quả."))
