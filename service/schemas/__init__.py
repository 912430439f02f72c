"""marshmallow schemas: the request bodies and responses of the HTTP contract, one module per resource.

The names are re-exported here, so `from service.schemas import ContestIn` keeps working.
"""

from .analytics import AnalyticsOut, JudgeAnalyticsOut, OutsideMarkOut
from .appeals import AppealIn, AppealOut, ResolveIn
from .audit import (ContestHistoryOut, Digest, DigestOut, EventOut, FeedOut, FeedQuery, MarkedOut, SheetHistoryOut,
                    SheetVersionOut, VerifyOut, VerifyQuery)
from .boards import (AssessmentOut, BoardOut, BoardQuery, ChangeOut, DutyIn, DutyItemIn, DutyItemOut, DutyOut, LabelsOut,
                     MonthRowOut, QuarterlyBoardOut, QuarterRowOut, YearRowOut)
from .common import (CONTROL, MONTH, QUARTER, YEAR, Day, Empty, ErrorOut, Marks, Month, Out, Plain, ReasonIn, Score,
                     Text, Track)
from .consequences import (BlockerOut, ClosePreviewOut, ConsequencesOut, HoldIn, InterviewOut, InterviewQuery,
                           PreviewInterviewOut, PreviewItemOut, PreviewSharingOut, PreviewShortfallOut,
                           PreviewWithdrawalOut, ScheduleIn, SharingHeldIn, SharingOut, SharingQuery, ShortfallOut)
from .contests import (AbsenceIn, AbsenceOut, BatchIn, BatchSheetIn, CommentaryIn, CommentaryOut, ContestIn, ContestOut,
                       ContestQuery, CorrectionIn, CriterionIn, CriterionOut, JudgeTotal, ResultRow, ResultsOut, SheetIn,
                       SheetOut, StageOut, VillageSheetsOut)
from .pairings import (ComplianceOut, DissolveIn, ExchangeIn, ExchangeOut, FollowUpOut, FollowUpQuery, PairingIn,
                       PairingOut)
from .towns import RulebookIn, RulebookOut, TownBrief, TownDetail, TownIn, TownOut, Trim, TrimTiers, Weights, WeightsOut
from .villages import (AccountIn, AccountOut, NewAccountOut, RetireIn, SecretaryChangeIn, SecretaryIn, SecretaryOut,
                       TrackChangeIn, TrackSpellOut, VillageIn, VillageOut, VillageQuery)

__all__ = [name for name in dir() if name[0].isupper()]
